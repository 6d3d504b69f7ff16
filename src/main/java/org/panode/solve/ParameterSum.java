package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.BatchThreads;

/**
 * The parameter gradient of an ARKIMEX adjoint summed in Java instead of by PETSc. PETSc would add
 * h (dG/dtheta)^T w for every explicit stage (w: the vector of that stage's state VJP, h: the step),
 * through a parameter-sized product, copy and AXPY per stage, and two all-zero products for a J
 * without parameters. Here each stage's backward pass adds its (dG/dtheta)^T w straight into one
 * buffer while h stays the same, and h times that buffer joins the total when h changes (adaptive
 * steps) and at the end; with fixed steps that is once per adjoint. The same sum in another order:
 * equal to PETSc's to rounding.
 */
final class ParameterSum {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** The shortest part of a pass given to a batch thread. */
  private static final int MIN_PART = 1 << 15;

  private final MemorySegment atStep;
  private final int count;
  // The total so far: the caller's array or, without one, made at the first flush, which writes
  // it instead of adding (finish hands the array out: no clearing pass, no copy).
  private double[] total;
  private double step = Double.NaN;
  private boolean active;
  /** Whether total holds nothing of this adjoint yet (the first flush writes instead of adding). */
  private boolean unwritten;

  ParameterSum(Arena arena, int count) {
    // A view without the arena's thread confinement, for the batch threads' parts of the passes
    // below (the wiring owns both and closes the arena after its last use of this sum).
    MemorySegment own = arena.allocate(D, count);
    this.atStep = MemorySegment.ofAddress(own.address()).reinterpret(own.byteSize());
    this.count = count;
  }

  /** Starts an adjoint, to be summed into {@code into} (null: a new array); everything before is forgotten. */
  void begin(double[] into) {
    total = into;
    unwritten = true;
    clear();
    step = Double.NaN;
    active = true;
  }

  /** Whether an adjoint is being summed (between {@link #begin} and {@link #finish}). */
  boolean active() {
    return active;
  }

  /** Where the stage VJPs of a step of size h add their parameter half. */
  MemorySegment at(double h) {
    if (Double.doubleToRawLongBits(h) != Double.doubleToRawLongBits(step)) {
      flush(true);
      step = h;
    }
    return atStep;
  }

  /** The total, sum over stages of h (dG/dtheta)^T w (the caller's array from now on); ends the adjoint. */
  double[] finish() {
    flush(false); // the next begin clears atStep
    active = false;
    double[] sum = total != null ? total : new double[count];
    if (unwritten) { // nothing was summed
      java.util.Arrays.fill(sum, 0);
    }
    total = null;
    return sum;
  }

  /** total += step * atStep (the first time: total = step * atStep); clears atStep when more stages follow. */
  private void flush(boolean more) {
    if (Double.isNaN(step)) {
      return;
    }
    double h = step;
    boolean write = unwritten;
    if (total == null) {
      total = new double[count];
    }
    double[] sum = total;
    BatchThreads.range(count, MIN_PART, (from, to) -> {
      if (write) {
        for (int i = from; i < to; i++) {
          sum[i] = h * atStep.getAtIndex(D, i);
        }
      } else {
        for (int i = from; i < to; i++) {
          sum[i] += h * atStep.getAtIndex(D, i);
        }
      }
    });
    unwritten = false;
    if (more) {
      clear();
    }
    step = Double.NaN;
  }

  private void clear() {
    BatchThreads.range(count, MIN_PART, (from, to) -> atStep.asSlice(8L * from, 8L * (to - from)).fill((byte) 0));
  }
}

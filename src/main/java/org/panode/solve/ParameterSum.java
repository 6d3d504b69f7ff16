package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

  private final MemorySegment atStep;
  private final int count;
  // The total so far; null until the first flush of an adjoint, which writes it instead of adding
  // (finish hands the array out, so each adjoint makes its own: no clearing pass, no copy).
  private double[] total;
  private double step = Double.NaN;
  private boolean active;

  ParameterSum(Arena arena, int count) {
    this.atStep = arena.allocate(D, count);
    this.count = count;
  }

  /** Starts an adjoint: everything summed so far is forgotten. */
  void begin() {
    total = null;
    atStep.fill((byte) 0);
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
    total = null;
    return sum;
  }

  /** total += step * atStep; clears atStep when more stages follow. */
  private void flush(boolean more) {
    if (Double.isNaN(step)) {
      return;
    }
    double h = step;
    if (total == null) {
      total = new double[count];
      for (int i = 0; i < count; i++) {
        total[i] = h * atStep.getAtIndex(D, i);
      }
    } else {
      for (int i = 0; i < count; i++) {
        total[i] += h * atStep.getAtIndex(D, i);
      }
    }
    if (more) {
      atStep.fill((byte) 0);
    }
    step = Double.NaN;
  }
}

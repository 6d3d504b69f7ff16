package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

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
  private final double[] total;
  private double step = Double.NaN;
  private boolean active;

  ParameterSum(Arena arena, int count) {
    this.atStep = arena.allocate(D, count);
    this.total = new double[count];
  }

  /** Starts an adjoint: everything summed so far is forgotten. */
  void begin() {
    Arrays.fill(total, 0);
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
      flush();
      step = h;
    }
    return atStep;
  }

  /** The total, sum over stages of h (dG/dtheta)^T w; ends the adjoint. */
  double[] finish() {
    flush();
    active = false;
    return total.clone();
  }

  private void flush() {
    if (Double.isNaN(step)) {
      return;
    }
    for (int i = 0; i < total.length; i++) {
      total[i] += step * atStep.getAtIndex(D, i);
    }
    atStep.fill((byte) 0);
    step = Double.NaN;
  }
}

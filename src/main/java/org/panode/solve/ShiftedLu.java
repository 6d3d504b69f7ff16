package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.LinearTerm;
import org.panode.petsc.DenseLu;

/**
 * LU factors of shift * I - J, rebuilt only when J's version or the shift changes (a shortened
 * last step changes the shift), and batched solves with them: the sample-major batch is the
 * column-major d x m right-hand side.
 */
final class ShiftedLu implements AutoCloseable {
  private final LinearTerm term;
  private final DenseLu lu;
  private final double[] matrix;
  private final Counters counters;
  private long factoredVersion = -1;
  private double factoredShift = Double.NaN;

  ShiftedLu(LinearTerm term, Counters counters) {
    this.term = term;
    this.counters = counters;
    int d = term.dimension();
    this.lu = new DenseLu(d);
    this.matrix = new double[d * d];
  }

  /**
   * Makes the factors those of shift * I - J. Shifts that differ only by rounding (the adjoint
   * recomputes 1/(h a_ii) from the stored step; a time span recomputes h) reuse the factors: a
   * relative difference of 1e-12 changes the solve far below any solver tolerance.
   */
  void prepare(double shift) {
    long version = term.version();
    if (version == factoredVersion && Math.abs(shift - factoredShift) <= 1e-12 * Math.abs(shift)) {
      return;
    }
    int d = term.dimension();
    term.matrix(matrix);
    for (int i = 0; i < d * d; i++) {
      matrix[i] = -matrix[i];
    }
    for (int i = 0; i < d; i++) {
      matrix[i * d + i] += shift;
    }
    factoredVersion = -1;
    lu.factor(matrix);
    factoredVersion = version;
    factoredShift = shift;
    counters.luFactorizations++;
  }

  /** x <- (shift I - J)^-1 x (or ^-T), for each of the batch's samples. */
  void solveInPlace(MemorySegment x, int batch, boolean transpose) {
    lu.solveInPlace(x, batch, transpose);
    counters.linearSolves++;
  }

  @Override
  public void close() {
    lu.close();
  }
}

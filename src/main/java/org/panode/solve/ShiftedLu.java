package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.LinearTerm;
import org.panode.petsc.DenseLu;

/**
 * LU factors of shift * I - J, rebuilt only when J's version or the shift changes (a shortened
 * last step changes the shift), and batched solves with them: the sample-major batch is the
 * column-major d x m right-hand side.
 */
final class ShiftedLu implements ShiftedSolver {
  private final LinearTerm term;
  private final DenseLu lu;
  private final double[] matrix;
  private final Counters counters;
  private final PreparedFor factored = new PreparedFor();

  ShiftedLu(LinearTerm term, Counters counters) {
    this.term = term;
    this.counters = counters;
    int d = term.dimension();
    this.lu = new DenseLu(d);
    this.matrix = new double[d * d];
  }

  /** Makes the factors those of shift * I - J (see {@link ShiftedSolver#sameShift}). */
  @Override
  public void prepare(double shift) {
    long version = term.version();
    if (factored.holds(version, shift)) {
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
    factored.forget();
    lu.factor(matrix);
    factored.made(version, shift);
    counters.luFactorizations++;
  }

  @Override
  public void solveInPlace(MemorySegment x, int batch, boolean transpose) {
    factored.require();
    lu.solveInPlace(x, batch, transpose);
    counters.linearSolves++;
  }

  @Override
  public void close() {
    lu.close();
  }
}

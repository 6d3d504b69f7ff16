package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.CirculantTerm;
import org.panode.ode.LinearTerm;

/**
 * Solves shift * I - J for an IMEX stage, on the whole sample-major batch at once, with whatever
 * it precomputes from J kept until J's version or the shift changes.
 */
interface ShiftedSolver extends AutoCloseable {
  /** Makes later solves use shift * I - J (recomputing only when J or the shift changed). */
  void prepare(double shift);

  /** x <- (shift I - J)^-1 x (or ^-T), for each of the batch's samples. */
  void solveInPlace(MemorySegment x, int batch, boolean transpose);

  @Override
  void close();

  /**
   * For a circulant J, the banded LDL^T where J's row is symmetric and narrow and shift * I - J
   * positive definite, else its inverse by GEMM up to {@link ShiftedCirculantGemm#MAX_DIMENSION} and
   * the FFT above ({@link ShiftedBandedCirculant} decides at each prepare); dense LU for any other J.
   */
  static ShiftedSolver forTerm(LinearTerm j, Counters counters) {
    if (j instanceof CirculantTerm c) {
      return new ShiftedBandedCirculant(c, counters);
    }
    return new ShiftedLu(j, counters);
  }

  /** The batch's number of values, batch x d; throws unless x holds that many. */
  static long values(MemorySegment x, int batch, int d) {
    long n = (long) batch * d;
    if (batch < 0 || x.byteSize() < 8 * n) {
      throw new IllegalArgumentException("the right-hand side has " + x.byteSize() / 8 + " values, a batch of " + batch
          + " samples of " + d + " needs " + n);
    }
    return n;
  }

  /**
   * Shifts that differ only by rounding (the adjoint recomputes 1/(h a_ii) from the stored step; a
   * time span recomputes h) reuse what was prepared: a relative difference of 1e-12 changes the
   * solve far below any solver tolerance.
   */
  static boolean sameShift(double shift, double prepared) {
    return Math.abs(shift - prepared) <= 1e-12 * Math.abs(shift);
  }
}

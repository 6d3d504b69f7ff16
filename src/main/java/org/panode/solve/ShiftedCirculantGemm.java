package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.Blas;
import org.panode.nn.BlasProfile;
import org.panode.ode.CirculantTerm;

/**
 * shift * I - J for a circulant J of small dimension, solved by one GEMM with its inverse: at small d
 * a d x d product per sample runs at the BLAS's speed while the per-sample FFTs do not (see
 * docs/benchmarks.md). The inverse is made by the {@link ShiftedFft} solve of the d unit vectors
 * (its rows are the solutions, so a sample-major batch X is solved by X Q, and the transposed
 * solve by X Q^T), redone with the FFT's set-up when J's version or the shift changes; the solve is
 * as exact as the FFT's. Holds d^2 doubles for the inverse plus a batch of work.
 */
final class ShiftedCirculantGemm implements ShiftedSolver {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** Up to this dimension the GEMM is chosen (measured faster than the FFT up to here, docs/benchmarks.md). */
  static final int MAX_DIMENSION = 256;

  private final ShiftedFft fft;
  private final Counters counters;
  private final int d;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment inverse; // row j: the solve of e_j, so X inverse solves each row of X
  private MemorySegment work = MemorySegment.NULL;
  private final PreparedFor built = new PreparedFor();

  ShiftedCirculantGemm(CirculantTerm term, Counters counters) {
    this.fft = new ShiftedFft(term, counters);
    this.counters = counters;
    this.d = term.dimension();
    this.inverse = arena.allocate(D, (long) d * d);
  }

  @Override
  public void prepare(double shift) {
    try {
      fft.prepare(shift); // counts the factorization when it recomputes
    } catch (RuntimeException e) {
      built.forget(); // a singular shift: no solve with the previous inverse
      throw e;
    }
    if (built.holds(fft.prepared())) {
      return;
    }
    built.forget();
    inverse.fill((byte) 0);
    for (long j = 0; j < d; j++) {
      inverse.setAtIndex(D, j * d + j, 1.0);
    }
    fft.transform(inverse, d, false);
    built.made(fft.prepared());
  }

  @Override
  public void solveInPlace(MemorySegment x, int batch, boolean transpose) {
    built.require();
    long n = ShiftedSolver.values(x, batch, d);
    if (work.byteSize() < 8 * n) {
      work = arena.allocate(D, n);
    }
    MemorySegment.copy(x, 0, work, 0, 8 * n);
    Blas.gemm(false, transpose, batch, d, d, 1, work, inverse, 0, x);
    BlasProfile.solveGemm(batch, d, d);
    counters.linearSolves++;
  }

  @Override
  public void close() {
    fft.close();
    arena.close();
  }
}

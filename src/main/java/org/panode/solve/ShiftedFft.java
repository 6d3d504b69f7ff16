package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.jtransforms.fft.DoubleFFT_1D;
import org.panode.nn.BatchThreads;
import org.panode.ode.CirculantTerm;

/**
 * shift * I - J for a circulant J, solved by real FFTs: J = F^-1 diag(lambda) F, so each sample is
 * transformed, divided by shift - lambda_k and transformed back, O(d log d) per right-hand side.
 * The factors 1/(shift - lambda_k) are recomputed (and counted as a factorization) only when J's
 * version or the shift changes, as {@link ShiftedLu} refactors. Solves allocate nothing once the
 * work array fits the batch (JTransforms' power-of-two path; other sizes allocate inside it).
 */
final class ShiftedFft implements ShiftedSolver {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** Below this many samples per thread a solve stays on the caller's thread. */
  private static final int MIN_BLOCK_SAMPLES = 8;
  private final CirculantTerm term;
  private final Counters counters;
  private final int d;
  private final DoubleFFT_1D fft;
  private final double[] row;
  // 1/(shift - lambda_k) for k = 0..d/2, the non-transposed solve; the transpose uses its conjugate.
  private final double[] inverseRe;
  private final double[] inverseIm;
  // Where frequency k's real and imaginary parts sit in JTransforms' packed real transform (-1: zero).
  private final int[] reAt;
  private final int[] imAt;
  private double[] work = new double[0];
  private final PreparedFor prepared = new PreparedFor();

  ShiftedFft(CirculantTerm term, Counters counters) {
    this.term = term;
    this.counters = counters;
    this.d = term.dimension();
    this.fft = new DoubleFFT_1D(d);
    this.row = new double[d];
    int half = d / 2 + 1;
    this.inverseRe = new double[half];
    this.inverseIm = new double[half];
    this.reAt = new int[half];
    this.imAt = new int[half];
    packedLayout(d, reAt, imAt);
  }

  /**
   * JTransforms' realForward packs X_0..X_{d/2} into d reals: a[2k] = Re X_k, a[2k+1] = Im X_k, with
   * a[1] = Re X_{d/2} for even d and a[1] = Im X_{(d-1)/2} for odd d.
   */
  static void packedLayout(int d, int[] reAt, int[] imAt) {
    for (int k = 0; k < reAt.length; k++) {
      reAt[k] = 2 * k;
      imAt[k] = 2 * k + 1;
    }
    imAt[0] = -1;
    int last = reAt.length - 1;
    if (d % 2 == 0) {
      if (last > 0) {
        reAt[last] = 1;
        imAt[last] = -1;
      }
    } else if (last > 0) {
      imAt[last] = 1;
    }
  }

  @Override
  public void prepare(double shift) {
    long version = term.version();
    if (prepared.holds(version, shift)) {
      return;
    }
    prepared.forget();
    term.circulantRow(row);
    // R = F(row); lambda_k = conj(R_k) is J's eigenvalue on frequency k (J^T's is R_k).
    fft.realForward(row);
    for (int k = 0; k < reAt.length; k++) {
      double re = shift - row[reAt[k]];
      double im = imAt[k] < 0 ? 0 : row[imAt[k]]; // shift - conj(R_k)
      double norm = re * re + im * im;
      if (!(norm > 0) || !Double.isFinite(norm)) {
        throw new ArithmeticException("shift * I - J is singular or not finite: its eigenvalue at frequency " + k
            + " is " + re + (im < 0 ? " - " : " + ") + Math.abs(im) + "i (shift " + shift + ")");
      }
      inverseRe[k] = re / norm;
      inverseIm[k] = -im / norm;
    }
    prepared.made(version, shift);
    counters.luFactorizations++;
  }

  @Override
  public void solveInPlace(MemorySegment x, int batch, boolean transpose) {
    transform(x, batch, transpose);
    counters.linearSolves++;
  }

  /** The solve without counting it (what {@link ShiftedCirculantGemm} builds its inverse with). */
  void transform(MemorySegment x, int batch, boolean transpose) {
    prepared.require();
    long values = ShiftedSolver.values(x, batch, d);
    if (values > Integer.MAX_VALUE - 8) { // the work array below holds the whole batch
      throw new IllegalArgumentException("the FFT solve takes at most " + (Integer.MAX_VALUE - 8) + " values at once, got a batch of "
          + batch + " x " + d + "; solve it in parts");
    }
    int n = (int) values;
    if (work.length < n) {
      work = new double[n];
    }
    double[] w = work;
    double sign = transpose ? -1 : 1;
    // Samples are independent: blocks of them go to Panode's batch threads, each copying its own
    // samples in and out (through a view of x that they may use: the caller waits for them).
    int blocks = Math.max(1, Math.min(BatchThreads.get(), batch / MIN_BLOCK_SAMPLES));
    MemorySegment shared = blocks > 1 ? BatchThreads.shared(x) : x;
    BatchThreads.run(blocks, block -> {
      int first = (int) ((long) batch * block / blocks), end = (int) ((long) batch * (block + 1) / blocks);
      MemorySegment.copy(shared, D, 8L * first * d, w, first * d, (end - first) * d);
      for (int s = first; s < end; s++) {
        solveSample(w, s * d, sign);
      }
      MemorySegment.copy(w, first * d, shared, D, 8L * first * d, (end - first) * d);
    });
  }

  /** One sample's transform, division by shift - lambda_k (conjugated when sign is -1) and inverse. */
  private void solveSample(double[] w, int base, double sign) {
    fft.realForward(w, base);
    for (int k = 0; k < reAt.length; k++) {
      int re = base + reAt[k];
      double a = w[re], b = imAt[k] < 0 ? 0 : w[base + imAt[k]];
      double cr = inverseRe[k], ci = sign * inverseIm[k];
      w[re] = a * cr - b * ci;
      if (imAt[k] >= 0) {
        w[base + imAt[k]] = a * ci + b * cr;
      }
    }
    fft.realInverse(w, base, true);
  }

  /** What the factors 1/(shift - lambda_k) are for: J's version and the shift of the latest successful {@link #prepare}. */
  PreparedFor prepared() {
    return prepared;
  }

  @Override
  public void close() {
  }
}

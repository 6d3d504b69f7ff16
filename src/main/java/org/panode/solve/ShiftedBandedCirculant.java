package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.BatchThreads;
import org.panode.ode.CirculantTerm;

/**
 * shift * I - J for a circulant J whose row is symmetric and banded (the paper's diffusion and
 * Kuramoto-Sivashinsky stencils), solved by {@link PeriodicBandedLdl} in about (3b + 1) d
 * multiply-adds per right-hand side instead of the FFT's O(d log d), when shift * I - J is positive
 * definite. Any other circulant J, or a shift that makes it indefinite, is solved by the GEMM with
 * the inverse up to {@link ShiftedCirculantGemm#MAX_DIMENSION}, by {@link ShiftedFft} above (both
 * report a singular shift). The transposed solve is the same: the matrix is symmetric. Samples are
 * solved in groups, transposed so that the group is the inner, contiguous dimension.
 */
final class ShiftedBandedCirculant implements ShiftedSolver {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** Wider rows go to the GEMM or the FFT. */
  static final int MAX_BANDWIDTH = 8;
  /** Samples solved together: up to 128 (long inner loops), at most 64 Ki doubles (512 KiB) a group, but never fewer than 8. */
  private static final int MAX_GROUP = 128, GROUP_VALUES = 1 << 16;
  /** Padding between the samples' copies (see solveGroup). */
  private static final int PAD = 8;
  /** Below this many samples per thread a solve stays on the caller's thread. */
  private static final int MIN_BLOCK_SAMPLES = 8;

  private final CirculantTerm term;
  private final Counters counters;
  private final int d;
  private final double[] row;
  private ShiftedSolver fallback; // made on the first shift the band cannot take
  private PeriodicBandedLdl factor; // null: the fallback solves
  private Work[] scratch = new Work[0];
  private final PreparedFor prepared = new PreparedFor();

  ShiftedBandedCirculant(CirculantTerm term, Counters counters) {
    this.term = term;
    this.counters = counters;
    this.d = term.dimension();
    this.row = new double[d];
  }

  /**
   * The bandwidth b of a symmetric circulant row (row[k] == row[d - k], zero for b < k < d - b) with
   * d > 2b, or -1 when the row is not symmetric or wider than {@link #MAX_BANDWIDTH}.
   */
  static int symmetricBandwidth(double[] row) {
    int d = row.length, b = 0;
    for (int k = 1; k <= d / 2; k++) {
      if (Double.doubleToLongBits(row[k]) != Double.doubleToLongBits(row[(d - k) % d])) {
        return -1;
      }
      if (row[k] != 0) {
        b = k;
      }
    }
    return b <= MAX_BANDWIDTH && d > 2 * b ? b : -1;
  }

  @Override
  public void prepare(double shift) {
    long version = term.version();
    if (prepared.holds(version, shift)) {
      return;
    }
    prepared.forget();
    factor = null;
    term.circulantRow(row);
    int b = symmetricBandwidth(row);
    if (b >= 0) {
      double[] band = new double[b + 1];
      band[0] = shift - row[0];
      for (int k = 1; k <= b; k++) {
        band[k] = -row[k];
      }
      factor = PeriodicBandedLdl.factor(band, d);
    }
    if (factor != null) {
      counters.luFactorizations++;
    } else {
      if (fallback == null) {
        fallback = d <= ShiftedCirculantGemm.MAX_DIMENSION ? new ShiftedCirculantGemm(term, counters) : new ShiftedFft(term, counters);
      }
      fallback.prepare(shift); // counts its own set-up; a singular shift throws here
    }
    prepared.made(version, shift);
  }

  /** Whether the latest prepare chose the banded solve (false: the GEMM or the FFT). */
  boolean banded() {
    return factor != null;
  }

  @Override
  public void solveInPlace(MemorySegment x, int batch, boolean transpose) {
    prepared.require();
    if (factor == null) {
      fallback.solveInPlace(x, batch, transpose);
      return;
    }
    ShiftedSolver.values(x, batch, d);
    int blocks = Math.max(1, Math.min(BatchThreads.get(), batch / MIN_BLOCK_SAMPLES));
    if (scratch.length < blocks) {
      scratch = java.util.Arrays.copyOf(scratch, blocks);
    }
    int group = Math.min(batch, Math.max(8, Math.min(MAX_GROUP, GROUP_VALUES / d)));
    for (int k = 0; k < blocks; k++) {
      Work w = scratch[k];
      if (w == null || w.samples.length < group * (d + PAD) || w.rows[0].length < group || w.border.length < factor.b) {
        scratch[k] = new Work(new double[group * (d + PAD)], new double[d][group], new double[factor.b][group]);
      }
    }
    PeriodicBandedLdl f = factor;
    Work[] own = scratch;
    MemorySegment shared = blocks > 1 ? BatchThreads.shared(x) : x;
    BatchThreads.run(blocks, block -> {
      int first = (int) ((long) batch * block / blocks), end = (int) ((long) batch * (block + 1) / blocks);
      Work work = own[block];
      for (int s0 = first; s0 < end; s0 += group) {
        solveGroup(f, shared, s0, Math.min(group, end - s0), work);
      }
    });
    counters.linearSolves++;
  }

  /** One thread's arrays: a group's samples as they are, transposed, and the factor's border scratch. */
  private record Work(double[] samples, double[][] rows, double[][] border) {
  }

  /**
   * Samples s0..s0+n-1: copied in (each at a stride of d + 8 doubles: a stride of 4 KiB, d = 512,
   * maps every sample's value i to one L1 set and the transposes slow down 3x), transposed
   * (rows[i][s] = x[s0 + s][i]), solved, transposed back and copied out.
   */
  private void solveGroup(PeriodicBandedLdl f, MemorySegment x, int s0, int n, Work work) {
    double[] samples = work.samples;
    double[][] rows = work.rows;
    int stride = d + PAD;
    for (int s = 0; s < n; s++) {
      MemorySegment.copy(x, D, 8L * (s0 + s) * d, samples, s * stride, d);
    }
    transpose(samples, stride, rows, n, true);
    f.solve(rows, n, work.border);
    transpose(samples, stride, rows, n, false);
    for (int s = 0; s < n; s++) {
      MemorySegment.copy(samples, s * stride, x, D, 8L * (s0 + s) * d, d);
    }
  }

  /**
   * rows[i][s] = samples[s stride + i] (in) or the reverse, for s < n, i < d: eight rows at a
   * time, so each sample's cache line is read or written once.
   */
  private void transpose(double[] samples, int stride, double[][] rows, int n, boolean in) {
    int i = 0;
    for (; i + 8 <= d; i += 8) {
      double[] r0 = rows[i], r1 = rows[i + 1], r2 = rows[i + 2], r3 = rows[i + 3];
      double[] r4 = rows[i + 4], r5 = rows[i + 5], r6 = rows[i + 6], r7 = rows[i + 7];
      if (in) {
        for (int s = 0, at = i; s < n; s++, at += stride) {
          r0[s] = samples[at];
          r1[s] = samples[at + 1];
          r2[s] = samples[at + 2];
          r3[s] = samples[at + 3];
          r4[s] = samples[at + 4];
          r5[s] = samples[at + 5];
          r6[s] = samples[at + 6];
          r7[s] = samples[at + 7];
        }
      } else {
        for (int s = 0, at = i; s < n; s++, at += stride) {
          samples[at] = r0[s];
          samples[at + 1] = r1[s];
          samples[at + 2] = r2[s];
          samples[at + 3] = r3[s];
          samples[at + 4] = r4[s];
          samples[at + 5] = r5[s];
          samples[at + 6] = r6[s];
          samples[at + 7] = r7[s];
        }
      }
    }
    for (; i < d; i++) {
      double[] r = rows[i];
      for (int s = 0, at = i; s < n; s++, at += stride) {
        if (in) {
          r[s] = samples[at];
        } else {
          samples[at] = r[s];
        }
      }
    }
  }

  @Override
  public void close() {
    if (fallback != null) {
      fallback.close();
    }
  }
}

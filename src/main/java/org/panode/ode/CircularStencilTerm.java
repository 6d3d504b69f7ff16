package org.panode.ode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * J u = a circular (periodic) stencil over the d grid points: (J u)_i = sum_k c_k u_{i+k-r} with an
 * odd number 2r+1 of coefficients, fixed or learnable (then the coefficients are the parameters).
 * E.g. the Kuramoto-Sivashinsky linear part -u_xx - u_xxxx as a 5-point stencil.
 */
public final class CircularStencilTerm implements CirculantTerm {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int d;
  private final int width;
  private final boolean learnable;
  private final MemorySegment coefficients;
  private final double[] seen;
  private long version;
  /** Each thread's input and result copies (value and vjp may run in several threads at once). */
  private final ThreadLocal<double[][]> buffers = ThreadLocal.withInitial(() -> new double[2][0]);

  public CircularStencilTerm(double[] stencil, int d, boolean learnable) {
    if (stencil.length % 2 == 0 || stencil.length > d) {
      throw new IllegalArgumentException("the stencil needs an odd number of coefficients, at most d = " + d + "; got " + stencil.length);
    }
    this.d = d;
    this.width = stencil.length;
    this.learnable = learnable;
    this.coefficients = Arena.ofAuto().allocate(D, width);
    MemorySegment.copy(stencil, 0, coefficients, D, 0, width);
    this.seen = stencil.clone();
  }

  /** -u_xx - u_xxxx on a periodic grid of spacing dx (second-order differences). */
  public static double[] kuramotoSivashinskyStencil(double dx) {
    double dx2 = dx * dx, dx4 = dx2 * dx2;
    return new double[] {-1 / dx4, 4 / dx4 - 1 / dx2, -6 / dx4 + 2 / dx2, 4 / dx4 - 1 / dx2, -1 / dx4};
  }

  /** nu u_xx on a periodic grid of spacing dx. */
  public static double[] diffusionStencil(double nu, double dx) {
    double c = nu / (dx * dx);
    return new double[] {c, -2 * c, c};
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return learnable ? width : 0;
  }

  @Override
  public MemorySegment parameters() {
    return learnable ? coefficients : MemorySegment.ofArray(new double[0]);
  }

  @Override
  public long version() {
    for (int k = 0; k < width; k++) {
      double c = coefficients.getAtIndex(D, k);
      if (Double.doubleToRawLongBits(c) != Double.doubleToRawLongBits(seen[k])) {
        for (int j = 0; j < width; j++) {
          seen[j] = coefficients.getAtIndex(D, j);
        }
        version++;
        break;
      }
    }
    return version;
  }

  @Override
  public void matrix(double[] rowMajor) {
    java.util.Arrays.fill(rowMajor, 0);
    int r = width / 2;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < width; k++) {
        int j = Math.floorMod(i + k - r, d);
        rowMajor[i * d + j] += coefficients.getAtIndex(D, k);
      }
    }
  }

  /** (J u)_i = sum_k c_k u_{i+k-r}, so row 0 holds c_k at column (k - r) mod d. */
  @Override
  public void circulantRow(double[] row) {
    if (row.length != d) {
      throw new IllegalArgumentException("expected " + d + " values for the circulant row, got " + row.length);
    }
    java.util.Arrays.fill(row, 0);
    int r = width / 2;
    for (int k = 0; k < width; k++) {
      row[Math.floorMod(k - r, d)] += coefficients.getAtIndex(D, k);
    }
  }

  /** value and vjp keep their copies per thread; the coefficients are only read. */
  @Override
  public boolean threadSafe() {
    return true;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    apply(u, batch, out, false);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    apply(w, batch, out, true);
  }

  private void apply(MemorySegment x, int batch, MemorySegment out, boolean transpose) {
    Shapes.check(x, batch, d, "input");
    Shapes.check(out, batch, d, "output");
    int r = width / 2, n = batch * d;
    double[] c = new double[width];
    for (int k = 0; k < width; k++) {
      // The transpose of a circulant stencil is the reversed stencil.
      c[k] = coefficients.getAtIndex(D, transpose ? width - 1 - k : k);
    }
    double[][] own = buffers.get();
    if (own[0].length < n) {
      own[0] = new double[n];
      own[1] = new double[n];
    }
    double[] in = own[0], result = own[1];
    MemorySegment.copy(x, D, 0, in, 0, n);
    java.util.Arrays.fill(result, 0, n, 0.0);
    for (int s = 0; s < batch; s++) {
      int base = s * d;
      // Coefficient by coefficient, so the inner loop has independent iterations (vectorizable).
      for (int k = 0; k < width; k++) {
        double ck = c[k];
        int shift = k - r;
        for (int i = r; i < d - r; i++) {
          result[base + i] += ck * in[base + i + shift];
        }
        for (int i = 0; i < r; i++) {
          result[base + i] += ck * in[base + Math.floorMod(i + shift, d)];
          result[base + d - 1 - i] += ck * in[base + Math.floorMod(d - 1 - i + shift, d)];
        }
      }
    }
    MemorySegment.copy(result, 0, out, D, 0, n);
  }

  /** d(J u)_i/dc_k = u_{i+k-r}: gradient_k += sum_{s,i} w_si u_s,i+k-r. */
  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    if (!learnable) {
      return;
    }
    int r = width / 2;
    for (int k = 0; k < width; k++) {
      double sum = 0;
      for (int s = 0; s < batch; s++) {
        long base = (long) s * d;
        for (int i = 0; i < d; i++) {
          sum += w.getAtIndex(D, base + i) * u.getAtIndex(D, base + Math.floorMod(i + k - r, d));
        }
      }
      gradient.setAtIndex(D, k, gradient.getAtIndex(D, k) + sum);
    }
  }
}

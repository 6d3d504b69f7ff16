package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

/**
 * A circular (periodic) 1-D convolution over the d grid points of each sample, one channel, no
 * bias: y_i = sum_k c_k x_{(i+k-r) mod d} with an odd number 2r+1 of coefficients (the convention of
 * {@link org.panode.ode.CircularStencilTerm}). Fixed coefficients, or learnable ones (then they are
 * the parameters, starting at the given stencil).
 */
public final class CircularConv1d implements Layer {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int d;
  private final double[] stencil;
  private final boolean learnable;
  private final double[] c;

  public CircularConv1d(int d, double[] stencil, boolean learnable) {
    if (stencil.length % 2 == 0 || stencil.length > d) {
      throw new IllegalArgumentException("the stencil needs an odd number of coefficients, at most d = " + d
          + "; got " + stencil.length);
    }
    this.d = d;
    this.stencil = stencil.clone();
    this.learnable = learnable;
    this.c = new double[stencil.length];
  }

  @Override
  public int inputSize() {
    return d;
  }

  @Override
  public int outputSize() {
    return d;
  }

  @Override
  public int parameterCount() {
    return learnable ? stencil.length : 0;
  }

  @Override
  public void initialize(MemorySegment p, RandomGenerator random) {
    if (learnable) {
      MemorySegment.copy(stencil, 0, p, D, 0, stencil.length);
    }
  }

  @Override
  public void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch) {
    correlate(coefficients(p, false), x, y, batch);
  }

  @Override
  public void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch) {
    correlate(coefficients(p, false), tx, ty, batch);
  }

  /** The transpose of a circular correlation is the one with the reversed stencil. */
  @Override
  public void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch) {
    if (gradient != null && learnable) {
      addStencilGradient(x, gy, gradient, batch);
    }
    if (gx != null) {
      correlate(coefficients(p, true), gy, gx, batch);
    }
  }

  private double[] coefficients(MemorySegment p, boolean reversed) {
    int width = c.length;
    for (int k = 0; k < width; k++) {
      int from = reversed ? width - 1 - k : k;
      c[k] = learnable ? p.getAtIndex(D, from) : stencil[from];
    }
    return c;
  }

  /** out_i = sum_k w_k in_{(i+k-r) mod d}, coefficient by coefficient so the inner loop vectorizes. */
  private void correlate(double[] w, MemorySegment in, MemorySegment out, int batch) {
    int r = w.length / 2;
    out.asSlice(0, 8L * batch * d).fill((byte) 0);
    for (int s = 0; s < batch; s++) {
      long base = (long) s * d;
      for (int k = 0; k < w.length; k++) {
        double wk = w[k];
        int shift = k - r;
        for (int i = r; i < d - r; i++) {
          out.setAtIndex(D, base + i, out.getAtIndex(D, base + i) + wk * in.getAtIndex(D, base + i + shift));
        }
        for (int i = 0; i < r; i++) {
          out.setAtIndex(D, base + i, out.getAtIndex(D, base + i) + wk * in.getAtIndex(D, base + Math.floorMod(i + shift, d)));
          int j = d - 1 - i;
          out.setAtIndex(D, base + j, out.getAtIndex(D, base + j) + wk * in.getAtIndex(D, base + Math.floorMod(j + shift, d)));
        }
      }
    }
  }

  /** dy_i/dc_k = x_{i+k-r}: gradient_k += sum_{s,i} gy_si x_s,(i+k-r). */
  private void addStencilGradient(MemorySegment x, MemorySegment gy, MemorySegment gradient, int batch) {
    int width = c.length, r = width / 2;
    for (int k = 0; k < width; k++) {
      int shift = k - r;
      double sum = 0;
      for (int s = 0; s < batch; s++) {
        long base = (long) s * d;
        for (int i = 0; i < d; i++) {
          sum += gy.getAtIndex(D, base + i) * x.getAtIndex(D, base + Math.floorMod(i + shift, d));
        }
      }
      gradient.setAtIndex(D, k, gradient.getAtIndex(D, k) + sum);
    }
  }
}

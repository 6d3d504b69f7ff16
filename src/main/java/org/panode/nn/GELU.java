package org.panode.nn;

import java.lang.foreign.MemorySegment;

/**
 * GELU in its tanh approximation (Hendrycks and Gimpel; PyTorch's approximate="tanh"):
 * 0.5 x (1 + tanh(c (x + 0.044715 x^3))), c = sqrt(2/pi); the derivative is that of this formula.
 */
public final class GELU extends Elementwise {
  private static final double C = Math.sqrt(2 / Math.PI);
  private static final double A = 0.044715;

  public GELU(int size) {
    super(size);
  }

  @Override
  void apply(MemorySegment x, MemorySegment y, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(D, i);
      y.setAtIndex(D, i, 0.5 * v * (1 + Math.tanh(C * (v + A * v * v * v))));
    }
  }

  @Override
  void scale(MemorySegment x, MemorySegment y, MemorySegment in, MemorySegment out, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(D, i);
      double t = Math.tanh(C * (v + A * v * v * v));
      double derivative = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v);
      out.setAtIndex(D, i, derivative * in.getAtIndex(D, i));
    }
  }
}

package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A parameter-free activation y_i = phi(x_i) applied to every entry; the tangent and the backward
 * pass both multiply by phi'(x_i), which subclasses give from x_i and y_i.
 */
public abstract sealed class Elementwise implements Layer permits ReLU, Tanh, GELU, Identity {
  static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int size;

  Elementwise(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("an activation needs a positive size, got " + size);
    }
    this.size = size;
  }

  @Override
  public final boolean independentRows() {
    return true;
  }

  @Override
  public final int inputSize() {
    return size;
  }

  @Override
  public final int outputSize() {
    return size;
  }

  /** y = phi(x) on the first n entries. */
  abstract void apply(MemorySegment x, MemorySegment y, long n);

  /** out = phi'(x) * in on the first n entries (y = phi(x)). */
  abstract void scale(MemorySegment x, MemorySegment y, MemorySegment in, MemorySegment out, long n);

  @Override
  public final void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch) {
    apply(x, y, (long) batch * size);
  }

  @Override
  public final void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch) {
    scale(x, y, tx, ty, (long) batch * size);
  }

  @Override
  public final void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch) {
    if (gx != null) {
      scale(x, y, gy, gx, (long) batch * size);
    }
  }
}

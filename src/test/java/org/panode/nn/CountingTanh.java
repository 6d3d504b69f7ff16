package org.panode.nn;

import java.lang.foreign.MemorySegment;

/** Test layer: tanh that counts its forward passes, optionally declaring that it keeps forward state. */
public final class CountingTanh implements Layer {
  private final Tanh tanh;
  private final int size;
  private final boolean keepsState;
  public int forwards;

  public CountingTanh(int size, boolean keepsState) {
    this.tanh = new Tanh(size);
    this.size = size;
    this.keepsState = keepsState;
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public boolean keepsForwardState() {
    return keepsState;
  }

  @Override
  public void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch) {
    forwards++;
    tanh.forward(p, x, y, batch);
  }

  @Override
  public void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch) {
    tanh.tangent(p, x, y, tx, ty, batch);
  }

  @Override
  public void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch) {
    tanh.backward(p, x, y, gy, gx, gradient, batch);
  }
}

package org.panode.nn;

import java.lang.foreign.MemorySegment;

/** tanh(x), with derivative 1 - y^2. */
public final class Tanh extends Elementwise {
  public Tanh(int size) {
    super(size);
  }

  @Override
  void apply(MemorySegment x, MemorySegment y, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, Math.tanh(x.getAtIndex(D, i)));
    }
  }

  @Override
  void scale(MemorySegment x, MemorySegment y, MemorySegment in, MemorySegment out, long n) {
    for (long i = 0; i < n; i++) {
      double t = y.getAtIndex(D, i);
      out.setAtIndex(D, i, (1 - t * t) * in.getAtIndex(D, i));
    }
  }
}

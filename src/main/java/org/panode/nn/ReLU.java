package org.panode.nn;

import java.lang.foreign.MemorySegment;

/** max(x, 0), with derivative [x > 0] (0 at the kink). */
public final class ReLU extends Elementwise {
  public ReLU(int size) {
    super(size);
  }

  @Override
  void apply(MemorySegment x, MemorySegment y, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(D, i);
      y.setAtIndex(D, i, v > 0 ? v : 0.0);
    }
  }

  @Override
  void scale(MemorySegment x, MemorySegment y, MemorySegment in, MemorySegment out, long n) {
    // Both loads unconditional: a load under the branch sends C2 into endless recompilation
    // (profile_predicate traps) on JDK 25.
    for (long i = 0; i < n; i++) {
      double v = in.getAtIndex(D, i);
      out.setAtIndex(D, i, x.getAtIndex(D, i) > 0 ? v : 0.0);
    }
  }
}

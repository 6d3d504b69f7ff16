package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * max(x, 0), with derivative [x > 0] (0 at the kink). A NaN with its sign bit clear (Java's
 * Double.NaN, what arithmetic gives) passes through, forward and backward, so it stays visible; one
 * with the sign bit set becomes +0.0 like any negative input.
 */
public final class ReLU extends Elementwise {
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

  public ReLU(int size) {
    super(size);
  }

  // On the IEEE bits, branch-free integer operations that C2 vectorizes (about 1.8x the
  // compare-and-select form, which it does not): bits >> 63 is all ones exactly when the sign bit is
  // set, and -bits >> 63 all ones exactly when bits > 0 or bits is -0.0's (Long.MIN_VALUE).

  @Override
  void apply(MemorySegment x, MemorySegment y, long n) {
    for (long i = 0; i < n; i++) {
      long bits = x.getAtIndex(L, i);
      y.setAtIndex(L, i, bits & ~(bits >> 63)); // negative (incl. -0.0) -> +0.0
    }
  }

  @Override
  void scale(MemorySegment x, MemorySegment y, MemorySegment in, MemorySegment out, long n) {
    for (long i = 0; i < n; i++) {
      long bits = x.getAtIndex(L, i);
      long positive = (-bits >> 63) & ~(bits >> 63); // all ones iff x > 0 (or x is a positive NaN)
      out.setAtIndex(L, i, in.getAtIndex(L, i) & positive);
    }
  }
}

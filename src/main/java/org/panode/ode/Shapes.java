package org.panode.ode;

import java.lang.foreign.MemorySegment;

/** Size checks for batched segments. */
public final class Shapes {
  private Shapes() {}

  /** Throws unless the segment holds at least batch x d doubles. */
  public static void check(MemorySegment segment, int batch, int d, String what) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batch);
    }
    if (segment.byteSize() < 8L * batch * d) {
      throw new IllegalArgumentException(what + " holds " + segment.byteSize() / 8 + " doubles; a batch of "
          + batch + " states of dimension " + d + " needs " + (long) batch * d);
    }
  }
}

package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The parameter half (dG/dtheta)^T w of G's last state VJP, with the point (state, time) and the
 * vector w it was computed for, so that a parameter VJP asked at the same point with the same w
 * reuses it instead of a second backward pass.
 */
final class SharedBackwardPass {
  private final MemorySegment input;
  private final MemorySegment parameters;
  private final MemorySegment state;
  private double time;
  private boolean valid;

  SharedBackwardPass(Arena arena, long n, int parameterCount) {
    this.input = arena.allocate(ValueLayout.JAVA_DOUBLE, n);
    this.state = arena.allocate(ValueLayout.JAVA_DOUBLE, n);
    this.parameters = arena.allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, parameterCount));
  }

  /** Starts a backward pass at {@code at} for {@code w}; returns where its parameter half goes (all parameters of G). */
  MemorySegment begin(LinearizationPoint at, MemorySegment w) {
    input.copyFrom(w);
    state.copyFrom(at.state());
    time = at.time();
    valid = true;
    parameters.fill((byte) 0);
    return parameters;
  }

  /** Copies the kept parameter half into {@code out} if it was computed at this point for this w. */
  boolean takeInto(LinearizationPoint at, MemorySegment w, MemorySegment out) {
    if (!valid || time != at.time() || state.mismatch(at.state()) != -1 || w.mismatch(input) != -1) {
      return false;
    }
    out.copyFrom(parameters.asSlice(0, out.byteSize()));
    return true;
  }
}

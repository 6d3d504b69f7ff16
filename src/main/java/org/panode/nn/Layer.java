package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;

/**
 * One layer y = layer(x; p) of a {@link Network}, on a batch: x is batch x {@link #inputSize()},
 * y is batch x {@link #outputSize()}, both row-major (sample-major). The parameters p are a slice of
 * the network's flat buffer, passed on every call; a layer keeps no parameter copy.
 *
 * <p>{@link #tangent} and {@link #backward} follow a {@link #forward} on the same x and p, with
 * its y; a layer may keep what that forward computed until then, so an instance appears at most
 * once in a network. Segments passed must not overlap.
 */
public interface Layer {
  int inputSize();

  int outputSize();

  /** The number of parameters (0 for none). */
  default int parameterCount() {
    return 0;
  }

  /** Writes initial values into p ({@link #parameterCount()} doubles). */
  default void initialize(MemorySegment p, RandomGenerator random) {}

  /** y = layer(x). */
  void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch);

  /** ty = (dy/dx) tx. */
  void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch);

  /**
   * gx = (dy/dx)^T gy unless gx is null, and gradient += sum over samples (dy/dp)^T gy unless
   * gradient is null (it then has {@link #parameterCount()} doubles).
   */
  void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch);
}

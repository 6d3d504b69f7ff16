package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;

/**
 * One layer y = layer(x; p) of a {@link Network}, on a batch: x is batch x {@link #inputSize()},
 * y is batch x {@link #outputSize()}, both row-major (sample-major). The parameters p are a slice of
 * the network's flat buffer, passed on every call; a layer keeps no parameter copy.
 *
 * <p>{@link #tangent} and {@link #backward} get x and the y that {@link #forward} computed from it
 * with the same p. A network may replay a forward pass it ran earlier (see {@link
 * Network#rememberEvaluations}), so other forwards may come in between, unless the layer {@link
 * #keepsForwardState() keeps forward state}. An instance appears at most once in a network.
 * Segments passed must not overlap.
 */
public interface Layer {
  int inputSize();

  int outputSize();

  /** The number of parameters (0 for none). */
  default int parameterCount() {
    return 0;
  }

  /**
   * True if {@link #tangent} and {@link #backward} use what the latest {@link #forward} kept in the
   * layer (beyond x and y): they must then follow the forward on their x directly.
   */
  default boolean keepsForwardState() {
    return false;
  }

  /**
   * True if each sample's output, tangent and input gradient depend on that sample alone and the
   * layer keeps no state between calls: a network may then run blocks of a batch's rows at once,
   * on several threads, each with its own parameter-gradient buffer.
   */
  default boolean independentRows() {
    return false;
  }

  /**
   * Part {@code part} of {@code parts} of the parameter gradient that {@link #backward} adds:
   * gradient += sum over samples (dy/dp)^T gy, the parts splitting the parameters so that all of
   * them together add it once. A network runs the parts on several threads after the row blocks'
   * backward passes. The default does it all in part 0.
   */
  default void parameterGradient(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy,
      MemorySegment gradient, int batch, int part, int parts) {
    if (part == 0) {
      backward(p, x, y, gy, null, gradient, batch);
    }
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

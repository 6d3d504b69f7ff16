package org.panode.ode;

import java.lang.foreign.MemorySegment;

/**
 * A right-hand-side term f(t, u; theta) of an ODE, evaluated on a batch of states. A batch of m
 * states of dimension d is m * d doubles, sample-major (sample s occupies [s*d, (s+1)*d)), which
 * is also the column-major d x m matrix whose column s is sample s. Segments may be native memory
 * (PETSc vector arrays, passed without copying); implementations must not keep them after the call.
 *
 * <p>Pure Java: no PETSc or ND4J types. Implementations need not be thread-safe.
 */
public interface Term {
  /** The state dimension d. */
  int dimension();

  /** The number of trainable parameters (0 for none). */
  int parameterCount();

  /**
   * The parameters as one flat segment of {@link #parameterCount()} doubles that the term reads on
   * every call (writing it changes the term). Empty if there are none.
   */
  MemorySegment parameters();

  /** out = f(t, u) for each of the batch's samples. */
  void value(double t, MemorySegment u, int batch, MemorySegment out);

  /** out = (df/du)(t, u) v, per sample. */
  void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out);

  /** out = (df/du)(t, u)^T w, per sample. */
  void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out);

  /** gradient += sum over samples of (df/dtheta)(t, u)^T w; gradient has {@link #parameterCount()} doubles. */
  void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient);

  /**
   * A solver's hint: from now on (true), JVPs and VJPs will come at states that {@link #value} was
   * called with, until false says they no longer will. A term may keep what value() computed and
   * reuse it for a JVP or VJP at the same state instead of recomputing it; results must be the same
   * either way. The default ignores the hint.
   */
  default void rememberEvaluations(boolean on) {}

  /**
   * A solver's hint that the parameters may have been written since the last JVP or VJP (an adjoint
   * is about to start): a term that keeps what {@link #value} computed must check them again before
   * reusing it. The default does nothing.
   */
  default void parametersMayHaveChanged() {}

  /**
   * The most memory (bytes) remembering {@code evaluations} calls of {@link #value} at this batch
   * size would hold while {@link #rememberEvaluations} is on; the default remembers nothing.
   */
  default long rememberedBytes(int batch, long evaluations) {
    return 0;
  }

  /**
   * Both VJPs in one backward pass: out = (df/du)^T w and gradient += (df/dtheta)^T w. The default
   * calls the two separately; networks override it to share the backward pass.
   */
  default void vjpBoth(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    vjp(t, u, w, batch, out);
    if (parameterCount() > 0) {
      vjpParameters(t, u, w, batch, gradient);
    }
  }
}

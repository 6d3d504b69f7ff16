package org.panode.ode;

import java.lang.foreign.MemorySegment;

/**
 * A linear term J(theta) u with the same d x d matrix J for every sample, treated implicitly by
 * IMEX methods. Its matrix is what the LU factorization of shift * I - J is built from; its
 * {@link #version()} changes whenever J changes (parameters written), so factors are rebuilt only
 * then.
 */
public interface LinearTerm extends Term {
  /** Writes J into a d x d row-major array. */
  void matrix(double[] rowMajor);

  /** A number that changes whenever J changes. */
  long version();

  /**
   * Whether {@link #value} and {@link #vjp} may run in several threads at once, each call on its
   * own block of a batch's samples (its own input and output). Panode's solvers then split large
   * batches over the batch threads. The default, false, keeps one call at a time.
   */
  default boolean threadSafe() {
    return false;
  }

  /** J u is linear: the JVP is J v whatever the state. */
  @Override
  default void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    value(t, v, batch, out);
  }
}

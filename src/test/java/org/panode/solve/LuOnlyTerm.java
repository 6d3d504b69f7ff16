package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.LinearTerm;

/** The same J as the wrapped term, but not marked circulant: {@link ShiftedSolver#forTerm} picks LU for it. */
final class LuOnlyTerm implements LinearTerm {
  private final LinearTerm inner;

  LuOnlyTerm(LinearTerm inner) {
    this.inner = inner;
  }

  @Override public int dimension() { return inner.dimension(); }
  @Override public int parameterCount() { return inner.parameterCount(); }
  @Override public MemorySegment parameters() { return inner.parameters(); }
  @Override public long version() { return inner.version(); }
  @Override public void matrix(double[] rowMajor) { inner.matrix(rowMajor); }
  @Override public void value(double t, MemorySegment u, int batch, MemorySegment out) { inner.value(t, u, batch, out); }
  @Override public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) { inner.vjp(t, u, w, batch, out); }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    inner.vjpParameters(t, u, w, batch, gradient);
  }
}

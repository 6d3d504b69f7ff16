package org.panode.ode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * f(u) = a * g(u / b) per component: a term g (a network) on inputs divided by {@code inputScale}
 * b, its outputs multiplied by {@code outputScale} a. Kim et al.'s equation scaling for stiff
 * chemistry is a = y_scale / t_scale; b = y_scale also gives the network O(1) inputs. JVP, VJP and
 * parameter VJP follow by the chain rule; the parameters are g's.
 */
public final class ScaledTerm implements Term {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final Term inner;
  private final double[] in;
  private final double[] out;
  private final int d;
  private MemorySegment x = MemorySegment.NULL, v = MemorySegment.NULL;
  private int capacity;

  public ScaledTerm(Term inner, double[] inputScale, double[] outputScale) {
    this.inner = Objects.requireNonNull(inner, "inner term");
    this.d = inner.dimension();
    this.in = check(inputScale, "input");
    this.out = check(outputScale, "output");
  }

  private double[] check(double[] scale, String what) {
    if (scale.length != d) {
      throw new IllegalArgumentException("the " + what + " scale has " + scale.length + " entries, the term dimension " + d);
    }
    for (int i = 0; i < d; i++) {
      if (!(scale[i] > 0) || !Double.isFinite(scale[i])) {
        throw new IllegalArgumentException(what + " scale of component " + i + " must be positive and finite, got " + scale[i]);
      }
    }
    return scale.clone();
  }

  public Term inner() {
    return inner;
  }

  public double[] inputScale() {
    return in.clone();
  }

  public double[] outputScale() {
    return out.clone();
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public MemorySegment parameters() {
    return inner.parameters();
  }

  private void ensure(int batch) {
    if (capacity < batch) {
      Arena arena = Arena.ofAuto();
      x = arena.allocate(D, (long) batch * d);
      v = arena.allocate(D, (long) batch * d);
      capacity = batch;
    }
  }

  /** target[i] = source[i] * s[i % d] (divide: / s). */
  private void scale(MemorySegment source, double[] s, boolean divide, MemorySegment target, int batch) {
    long n = (long) batch * d;
    for (long i = 0; i < n; i++) {
      double si = s[(int) (i % d)];
      double value = source.getAtIndex(D, i);
      target.setAtIndex(D, i, divide ? value / si : value * si);
    }
  }

  @Override
  public void rememberEvaluations(boolean on) {
    inner.rememberEvaluations(on);
  }

  @Override
  public void parametersMayHaveChanged() {
    inner.parametersMayHaveChanged();
  }

  @Override
  public long rememberedBytes(int batch, long evaluations) {
    return inner.rememberedBytes(batch, evaluations);
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment result) {
    ensure(batch);
    scale(u, in, true, x, batch);
    inner.value(t, x, batch, result);
    scale(result, out, false, result, batch);
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment direction, int batch, MemorySegment result) {
    ensure(batch);
    scale(u, in, true, x, batch);
    scale(direction, in, true, v, batch);
    inner.jvp(t, x, v, batch, result);
    scale(result, out, false, result, batch);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment result) {
    ensure(batch);
    scale(u, in, true, x, batch);
    scale(w, out, false, v, batch);
    inner.vjp(t, x, v, batch, result);
    scale(result, in, true, result, batch);
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    ensure(batch);
    scale(u, in, true, x, batch);
    scale(w, out, false, v, batch);
    inner.vjpParameters(t, x, v, batch, gradient);
  }

  @Override
  public void vjpBoth(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment result, MemorySegment gradient) {
    ensure(batch);
    scale(u, in, true, x, batch);
    scale(w, out, false, v, batch);
    inner.vjpBoth(t, x, v, batch, result, gradient);
    scale(result, in, true, result, batch);
  }
}

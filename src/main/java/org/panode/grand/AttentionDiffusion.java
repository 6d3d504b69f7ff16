package org.panode.grand;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.panode.nn.GraphAttentionDiffusion;
import org.panode.ode.Shapes;
import org.panode.ode.Term;

/**
 * The explicit part of GRAND's split right-hand side, G(x) = sigma(alpha) A(x) x, with A(x) the
 * multi-head attention of {@link GraphAttentionDiffusion} (whose f(x) = (A(x) - I) x gives
 * A(x) x = f(x) + x). Parameters, one flat native segment: [alpha, W_Q, W_K]. Its first entry,
 * alpha, is also the only parameter of the implicit part {@link Decay} (the same memory), so the
 * full dL/dalpha is the sum of the two terms' entries of the adjoint's parameter gradient.
 */
public final class AttentionDiffusion implements Term {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final GraphAttentionDiffusion layer;
  private final int dimension;
  private final int count;
  private final MemorySegment parameters;
  private final MemorySegment weights;
  private int buffersBatch;
  private MemorySegment y;
  private MemorySegment scratch;

  /**
   * On a graph of {@code nodes} nodes with {@code features} features per node (a state is
   * nodes x features, node-major), edges src[e] -> dst[e] (include self-loops); attention weights
   * drawn N(0, initStd^2) from the seed, alpha set to {@code alpha}.
   */
  public AttentionDiffusion(int nodes, int features, int[] src, int[] dst, int heads, int keySize, double initStd,
      double alpha, long seed) {
    this.layer = new GraphAttentionDiffusion(nodes, features, src, dst, heads, keySize, initStd);
    this.dimension = layer.inputSize();
    this.count = 1 + layer.parameterCount();
    this.parameters = Arena.ofAuto().allocate(8L * count, 64);
    this.weights = parameters.asSlice(8, 8L * layer.parameterCount());
    parameters.setAtIndex(D, 0, alpha);
    layer.initialize(weights, new SplittableRandom(seed));
  }

  static double sigmoid(double a) {
    return 1 / (1 + Math.exp(-a));
  }

  /** The raw alpha; the diffusion rate is sigmoid(alpha). */
  public double alpha() {
    return parameters.getAtIndex(D, 0);
  }

  /** The segment holding alpha alone (shared with {@link Decay}). */
  MemorySegment alphaSegment() {
    return parameters.asSlice(0, 8);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int parameterCount() {
    return count;
  }

  @Override
  public MemorySegment parameters() {
    return parameters;
  }

  private void buffers(int batch) {
    if (batch != buffersBatch) {
      Arena arena = Arena.ofAuto();
      y = arena.allocate(8L * batch * dimension, 64);
      scratch = arena.allocate(8L * batch * dimension, 64);
      buffersBatch = batch;
    }
  }

  private void check(MemorySegment a, MemorySegment b, MemorySegment c, int batch) {
    Shapes.check(a, batch, dimension, "u");
    Shapes.check(b, batch, dimension, "input");
    Shapes.check(c, batch, dimension, "out");
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    check(u, u, out, batch);
    buffers(batch);
    layer.forward(weights, u, y, batch);
    combine(sigmoid(alpha()), y, u, out, batch);
  }

  /** out = s (a + b). */
  private void combine(double s, MemorySegment a, MemorySegment b, MemorySegment out, int batch) {
    long n = (long) batch * dimension;
    for (long i = 0; i < n; i++) {
      out.setAtIndex(D, i, s * (a.getAtIndex(D, i) + b.getAtIndex(D, i)));
    }
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    check(u, v, out, batch);
    buffers(batch);
    layer.forward(weights, u, y, batch);
    layer.tangent(weights, u, y, v, scratch, batch);
    combine(sigmoid(alpha()), scratch, v, out, batch);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    vjpBoth(t, u, w, batch, out, null);
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    vjpBoth(t, u, w, batch, null, gradient);
  }

  /**
   * out = s (dA(x)x/dx)^T w = s ((A - I + dA x)^T w + w) and gradient += [s' (A x) . w, s dW].
   */
  @Override
  public void vjpBoth(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    check(u, w, out == null ? w : out, batch);
    if (gradient != null && gradient.byteSize() < 8L * count) {
      throw new IllegalArgumentException("gradient holds " + gradient.byteSize() / 8 + " doubles; the term has " + count);
    }
    buffers(batch);
    double s = sigmoid(alpha());
    long n = (long) batch * dimension;
    layer.forward(weights, u, y, batch);
    if (gradient != null) {
      double ax = 0;
      for (long i = 0; i < n; i++) {
        ax += (y.getAtIndex(D, i) + u.getAtIndex(D, i)) * w.getAtIndex(D, i);
      }
      gradient.setAtIndex(D, 0, gradient.getAtIndex(D, 0) + s * (1 - s) * ax);
    }
    for (long i = 0; i < n; i++) {
      scratch.setAtIndex(D, i, s * w.getAtIndex(D, i));
    }
    layer.backward(weights, u, y, scratch, out, gradient == null ? null : gradient.asSlice(8, 8L * (count - 1)), batch);
    if (out != null) {
      for (long i = 0; i < n; i++) {
        out.setAtIndex(D, i, out.getAtIndex(D, i) + scratch.getAtIndex(D, i));
      }
    }
  }
}

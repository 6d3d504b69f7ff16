package org.panode.train;

import java.util.Objects;

/**
 * A loss on per-component scaled states: L(p, t) = inner(p / s, t / s) with s[i % d] dividing
 * entry i (states are sample-major, d = scale.length), so dL/dp = inner'(p / s, t / s) / s.
 */
final class ScaledLoss implements Loss {
  private final Loss inner;
  private final double[] scale;

  ScaledLoss(Loss inner, double[] scale) {
    this.inner = Objects.requireNonNull(inner, "inner loss");
    if (scale.length == 0) {
      throw new IllegalArgumentException("give one scale per state component, got none");
    }
    for (int i = 0; i < scale.length; i++) {
      if (!(scale[i] > 0) || !Double.isFinite(scale[i])) {
        throw new IllegalArgumentException("scale of component " + i + " must be positive and finite, got " + scale[i]);
      }
    }
    this.scale = scale.clone();
  }

  @Override
  public double value(double[][] predicted, double[][] target) {
    Loss.checkShapes(predicted, target);
    return inner.value(divide(predicted), divide(target));
  }

  @Override
  public double[][] gradient(double[][] predicted, double[][] target) {
    Loss.checkShapes(predicted, target);
    double[][] g = inner.gradient(divide(predicted), divide(target));
    for (double[] row : g) {
      for (int i = 0; i < row.length; i++) {
        row[i] /= scale[i % scale.length];
      }
    }
    return g;
  }

  private double[][] divide(double[][] states) {
    int d = scale.length;
    double[][] out = new double[states.length][];
    for (int k = 0; k < states.length; k++) {
      if (states[k].length % d != 0) {
        throw new IllegalArgumentException("states at output time " + k + " have " + states[k].length
            + " values, not a multiple of the " + d + " scales");
      }
      out[k] = new double[states[k].length];
      for (int i = 0; i < out[k].length; i++) {
        out[k][i] = states[k][i] / scale[i % d];
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "scaled " + inner;
  }
}

package org.panode.train;

/** L = mean |p - t| over all entries; dL/dp = sign(p - t) / n (0 where p == t). */
final class MeanAbsoluteError implements Loss {
  @Override
  public double value(double[][] predicted, double[][] target) {
    long n = Loss.checkShapes(predicted, target);
    double sum = 0;
    for (int k = 0; k < predicted.length; k++) {
      for (int i = 0; i < predicted[k].length; i++) {
        sum += Math.abs(predicted[k][i] - target[k][i]);
      }
    }
    return sum / n;
  }

  @Override
  public double[][] gradient(double[][] predicted, double[][] target) {
    long n = Loss.checkShapes(predicted, target);
    double[][] g = new double[predicted.length][];
    for (int k = 0; k < predicted.length; k++) {
      g[k] = new double[predicted[k].length];
      for (int i = 0; i < g[k].length; i++) {
        g[k][i] = Math.signum(predicted[k][i] - target[k][i]) / n;
      }
    }
    return g;
  }

  @Override
  public String toString() {
    return "mae";
  }
}

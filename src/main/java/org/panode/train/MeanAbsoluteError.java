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
    return gradient(predicted, target, Loss.sameShape(predicted));
  }

  @Override
  public double[][] gradient(double[][] predicted, double[][] target, double[][] into) {
    long n = Loss.checkShapes(predicted, target);
    Loss.requireShape(into, predicted);
    for (int k = 0; k < predicted.length; k++) {
      double[] g = into[k];
      for (int i = 0; i < g.length; i++) {
        g[i] = Math.signum(predicted[k][i] - target[k][i]) / n;
      }
    }
    return into;
  }

  @Override
  public String toString() {
    return "mae";
  }
}

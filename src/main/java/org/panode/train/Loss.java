package org.panode.train;

/**
 * A loss on the predicted states at the output times against the targets, and its gradient
 * dL/du. Both are {@code [K][m*d]}: row k holds the batch's m states (sample-major) at output time
 * t_k, as {@link org.panode.solve.Trajectory#states()} gives them. Reductions are means over all
 * K*m*d entries.
 */
public interface Loss {
  /** L(predicted, target). */
  double value(double[][] predicted, double[][] target);

  /** dL/dpredicted, shaped like predicted. */
  double[][] gradient(double[][] predicted, double[][] target);

  /**
   * dL/dpredicted written into {@code into} (shaped like predicted), which is returned: a training
   * loop passes the same arrays every iteration. The default copies {@link #gradient(double[][], double[][])}.
   */
  default double[][] gradient(double[][] predicted, double[][] target, double[][] into) {
    double[][] g = gradient(predicted, target);
    requireShape(into, g);
    for (int k = 0; k < g.length; k++) {
      System.arraycopy(g[k], 0, into[k], 0, g[k].length);
    }
    return into;
  }

  /** Mean squared error. */
  static Loss mse() {
    return new MeanSquaredError();
  }

  /** Mean absolute error (L1; subgradient 0 where predicted == target). */
  static Loss mae() {
    return new MeanAbsoluteError();
  }

  /**
   * {@code inner} on the states with component i divided by {@code scale[i]} (e.g. its data range,
   * {@link TrajectoryDataset#componentRanges()}), as Kim et al. scale stiff chemistry losses.
   */
  static Loss scaled(Loss inner, double[] scale) {
    return new ScaledLoss(inner, scale);
  }

  /** Arrays shaped like {@code like}. */
  static double[][] sameShape(double[][] like) {
    double[][] out = new double[like.length][];
    for (int k = 0; k < like.length; k++) {
      out[k] = new double[like[k].length];
    }
    return out;
  }

  /** Throws unless {@code into} has the shape of {@code like}. */
  static void requireShape(double[][] into, double[][] like) {
    boolean same = into.length == like.length;
    for (int k = 0; same && k < like.length; k++) {
      same = into[k].length == like[k].length;
    }
    if (!same) {
      throw new IllegalArgumentException("the loss gradient's arrays must be shaped like the predicted states ("
          + like.length + " output times of " + (like.length == 0 ? 0 : like[0].length) + " values)");
    }
  }

  /** Checks that predicted and target have the same shape; returns the number of entries. */
  static long checkShapes(double[][] predicted, double[][] target) {
    if (predicted.length != target.length || predicted.length == 0) {
      throw new IllegalArgumentException("predicted has " + predicted.length + " output times, target has "
          + target.length + " (need the same number, at least one)");
    }
    long n = 0;
    for (int k = 0; k < predicted.length; k++) {
      if (predicted[k].length != target[k].length) {
        throw new IllegalArgumentException("at output time " + k + " predicted has " + predicted[k].length
            + " values, target has " + target[k].length);
      }
      n += predicted[k].length;
    }
    if (n == 0) {
      throw new IllegalArgumentException("empty states: nothing to compare");
    }
    return n;
  }
}

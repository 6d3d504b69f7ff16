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

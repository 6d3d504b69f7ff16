package org.panode.train;

import java.util.Arrays;

/**
 * N samples, each an initial state (d values) and its targets at K output times t_1 &lt; ... &lt; t_K,
 * relative to the sample's start. Values are checked finite and copied on construction.
 */
public final class TrajectoryDataset {
  private final int size;
  private final int dimension;
  private final double[] times;
  private final double[] initial; // sample n at [n*d, (n+1)*d)
  private final double[] targets; // sample n, time k at [(n*K + k)*d, ...)

  /** initialStates[n] (d values) and targets[n][k] (d values: the state at times[k]). */
  public TrajectoryDataset(double[] times, double[][] initialStates, double[][][] targets) {
    this.times = checkTimes(times);
    this.size = initialStates.length;
    if (size == 0) {
      throw new IllegalArgumentException("the dataset has no samples");
    }
    if (targets.length != size) {
      throw new IllegalArgumentException(size + " initial states but targets for " + targets.length + " samples");
    }
    this.dimension = initialStates[0].length;
    if (dimension == 0) {
      throw new IllegalArgumentException("states of dimension 0");
    }
    int k = times.length, d = dimension;
    this.initial = new double[Math.multiplyExact(size, d)];
    this.targets = new double[Math.multiplyExact(Math.multiplyExact(size, k), d)];
    for (int n = 0; n < size; n++) {
      if (initialStates[n].length != d) {
        throw new IllegalArgumentException("initial state of sample " + n + " has " + initialStates[n].length
            + " components; sample 0 has " + d);
      }
      System.arraycopy(initialStates[n], 0, initial, n * d, d);
      if (targets[n].length != k) {
        throw new IllegalArgumentException("sample " + n + " has targets at " + targets[n].length + " times; expected "
            + k + " (one per output time)");
      }
      for (int j = 0; j < k; j++) {
        if (targets[n][j].length != d) {
          throw new IllegalArgumentException("target of sample " + n + " at output time " + j + " has "
              + targets[n][j].length + " components; expected " + d);
        }
        System.arraycopy(targets[n][j], 0, this.targets, (n * k + j) * d, d);
      }
    }
    checkFinite();
  }

  /**
   * From a batch in solver layout: {@code initialStates} sample-major (size*d values) and
   * {@code states[k]} the batch at times[k] (size*d values, as {@link org.panode.solve.Trajectory#states()}).
   */
  public static TrajectoryDataset fromBatch(double[] initialStates, int size, double[] times, double[][] states) {
    if (size <= 0 || initialStates.length % size != 0) {
      throw new IllegalArgumentException(initialStates.length + " initial values do not split into " + size + " samples");
    }
    int d = initialStates.length / size;
    if (states.length != times.length) {
      throw new IllegalArgumentException(times.length + " output times but states at " + states.length);
    }
    double[][] u0 = new double[size][];
    double[][][] targets = new double[size][times.length][];
    for (int n = 0; n < size; n++) {
      u0[n] = Arrays.copyOfRange(initialStates, n * d, (n + 1) * d);
      for (int k = 0; k < times.length; k++) {
        if (states[k].length != size * d) {
          throw new IllegalArgumentException("states at output time " + k + " have " + states[k].length
              + " values; expected " + size + " x " + d);
        }
        targets[n][k] = Arrays.copyOfRange(states[k], n * d, (n + 1) * d);
      }
    }
    return new TrajectoryDataset(times, u0, targets);
  }

  private static double[] checkTimes(double[] times) {
    if (times.length == 0) {
      throw new IllegalArgumentException("give at least one output time");
    }
    double previous = 0;
    for (double t : times) {
      if (!(t > previous) || !Double.isFinite(t)) {
        throw new IllegalArgumentException("output times must be finite and increase after 0: " + Arrays.toString(times));
      }
      previous = t;
    }
    return times.clone();
  }

  private void checkFinite() {
    int d = dimension, k = times.length;
    for (int i = 0; i < initial.length; i++) {
      if (!Double.isFinite(initial[i])) {
        throw new IllegalArgumentException("initial state of sample " + i / d + " has " + initial[i]
            + " at component " + i % d);
      }
    }
    for (int i = 0; i < targets.length; i++) {
      if (!Double.isFinite(targets[i])) {
        int time = i / d % k;
        throw new IllegalArgumentException("target of sample " + i / d / k + " at output time " + time + " (t = "
            + times[time] + ") has " + targets[i] + " at component " + i % d);
      }
    }
  }

  /** A copy of sample i's initial state. */
  public double[] initialState(int i) {
    java.util.Objects.checkIndex(i, size());
    return Arrays.copyOfRange(initial, i * dimension, (i + 1) * dimension);
  }

  /** A copy of sample i's target at output time k. */
  public double[] target(int i, int k) {
    java.util.Objects.checkIndex(i, size());
    java.util.Objects.checkIndex(k, times.length);
    int start = (i * times.length + k) * dimension;
    return Arrays.copyOfRange(targets, start, start + dimension);
  }

  public int size() {
    return size;
  }

  public int dimension() {
    return dimension;
  }

  /** The output times t_1..t_K (a copy). */
  public double[] times() {
    return times.clone();
  }

  /** Throws unless the states have the model's dimension. */
  public void requireDimension(int modelDimension, String what) {
    if (dimension != modelDimension) {
      throw new IllegalArgumentException(what + " has states of dimension " + dimension
          + " but the model's dimension is " + modelDimension);
    }
  }

  /** Per component, max - min over all initial states and targets (1 for a constant component). */
  public double[] componentRanges() {
    double[] min = new double[dimension], max = new double[dimension];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (double[] values : new double[][] {initial, targets}) {
      for (int i = 0; i < values.length; i++) {
        min[i % dimension] = Math.min(min[i % dimension], values[i]);
        max[i % dimension] = Math.max(max[i % dimension], values[i]);
      }
    }
    double[] range = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      range[i] = max[i] > min[i] ? max[i] - min[i] : 1;
    }
    return range;
  }

  /** The initial states of samples order[from..to), sample-major. */
  double[] initialStates(int[] order, int from, int to) {
    return initialStates(order, from, to, new double[(to - from) * dimension]);
  }

  /** As {@link #initialStates(int[], int, int)}, into {@code u0} ((to - from) * d values), returned. */
  double[] initialStates(int[] order, int from, int to, double[] u0) {
    if (u0.length != (to - from) * dimension) {
      throw new IllegalArgumentException("initial states of " + (to - from) + " samples need " + (to - from) * dimension
          + " values, not " + u0.length);
    }
    for (int s = from; s < to; s++) {
      System.arraycopy(initial, order[s] * dimension, u0, (s - from) * dimension, dimension);
    }
    return u0;
  }

  /** The targets of samples order[from..to): [K][m*d], row k the batch at t_k. */
  double[][] targets(int[] order, int from, int to) {
    return targets(order, from, to, new double[times.length][(to - from) * dimension]);
  }

  /** As {@link #targets(int[], int, int)}, into {@code out} ([K][(to - from) * d]), returned. */
  double[][] targets(int[] order, int from, int to, double[][] out) {
    int k = times.length, d = dimension;
    if (out.length != k || out[0].length != (to - from) * d) {
      throw new IllegalArgumentException("targets of " + (to - from) + " samples need " + k + " rows of " + (to - from) * d
          + " values");
    }
    for (int s = from; s < to; s++) {
      for (int j = 0; j < k; j++) {
        System.arraycopy(targets, (order[s] * k + j) * d, out[j], (s - from) * d, d);
      }
    }
    return out;
  }
}

package org.panode.train;

/**
 * The arrays of one training iteration (initial states, targets, states, dL/du at the output
 * times and dL/du0), kept for the next iteration of the same size: a large batch would otherwise
 * allocate and zero several of them per iteration.
 */
final class IterationArrays {
  private final int dimension;
  private final int times;
  private int samples = -1;
  double[] initialStates;
  double[][] targets;
  double[][] states;
  double[][] lossGradient;
  /** dL/du0: the adjoint computes it, the trainer does not read it. */
  double[] initialStateGradient;

  IterationArrays(int dimension, int times) {
    this.dimension = dimension;
    this.times = times;
  }

  /** The arrays for {@code m} samples: the last ones when m is unchanged. */
  IterationArrays forSamples(int m) {
    if (m != samples) {
      int values = Math.multiplyExact(m, dimension);
      initialStates = new double[values];
      targets = new double[times][values];
      states = new double[times][values];
      lossGradient = new double[times][values];
      initialStateGradient = new double[values];
      samples = m;
    }
    return this;
  }
}

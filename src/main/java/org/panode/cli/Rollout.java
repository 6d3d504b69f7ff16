package org.panode.cli;

import org.panode.solve.NeuralOde;

/** The trained model integrated from a reference trajectory's first state over its whole length. */
final class Rollout {
  private Rollout() {}

  static double[][] of(NeuralOde ode, double[][] reference, double interval) {
    int k = reference.length;
    double[] times = new double[k - 1];
    for (int i = 1; i < k; i++) {
      times[i - 1] = i * interval;
    }
    var solution = ode.solve(reference[0], 1, 0, times, false);
    double[][] states = new double[k][];
    states[0] = reference[0];
    System.arraycopy(solution.states(), 0, states, 1, k - 1);
    return states;
  }
}

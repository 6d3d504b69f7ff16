package org.panode.cli;

import org.panode.ode.SaveAt;
import org.panode.solve.Solver;
import org.panode.solve.Trajectory;

/** The trained model integrated from a reference trajectory's first state over its whole length. */
final class Rollout {
  private Rollout() {}

  static double[][] of(Solver ode, double[][] reference, double interval) {
    int k = reference.length;
    double[] times = new double[k - 1];
    for (int i = 1; i < k; i++) {
      times[i - 1] = i * interval;
    }
    double[][] states = new double[k][];
    states[0] = reference[0];
    try (Trajectory solution = ode.solve(reference[0], 1, SaveAt.times(times))) {
      System.arraycopy(solution.states(), 0, states, 1, k - 1);
    }
    return states;
  }
}

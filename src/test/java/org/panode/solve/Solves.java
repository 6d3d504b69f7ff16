package org.panode.solve;

import org.panode.ode.SaveAt;

/** Test shorthands over the Solver API. */
public final class Solves {
  private Solves() {}

  /** n standard normal values from the generator. */
  public static double[] gaussian(java.util.Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  /** The states at the save times of a forward solve from t = 0 (the trajectory closed again). */
  public static double[][] states(Solver solver, double[] u0, int batch, double[] times) {
    try (Trajectory t = solver.solve(u0, batch, SaveAt.times(times))) {
      return t.states();
    }
  }

  /** The linear loss L = sum_k c_k . u(t_k) of these states. */
  public static double linearLoss(double[][] states, double[][] c) {
    double sum = 0;
    for (int k = 0; k < states.length; k++) {
      for (int i = 0; i < states[k].length; i++) {
        sum += c[k][i] * states[k][i];
      }
    }
    return sum;
  }

  /** The gradient of the loss with these dL/du(t_k) from a solve from t = 0. */
  public static Gradients gradient(Solver solver, double[] u0, int batch, double[] times, double[][] lossGradients) {
    try (Trajectory t = solver.solveForGradient(u0, batch, SaveAt.times(times))) {
      return t.gradient(lossGradients);
    }
  }
}

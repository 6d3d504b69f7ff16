package org.panode.train;

import java.util.Random;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;

/**
 * The stiff split test system du/dt = -u^3 + nu u_xx on a periodic grid of d = 16 points on [0, 1):
 * with nu = 0.3 the diffusion stencil's eigenvalues lie in [-4 nu / dx^2, 0] = [-307.2, 0], so
 * explicit RK4 is stable only for steps below 2.785 / 307.2 = 0.0091.
 */
final class ReactionDiffusion {
  static final int D = 16;
  static final double NU = 0.3;
  static final double[] TIMES = {0.1, 0.2, 0.3, 0.4};

  private ReactionDiffusion() {}

  /** The fixed diffusion nu u_xx. */
  static CircularStencilTerm diffusion() {
    return new CircularStencilTerm(CircularStencilTerm.diffusionStencil(NU, 1.0 / D), D, false);
  }

  /** A model: a cubic with the given coefficients plus the fixed diffusion. */
  static SplitProblem model(double... cubic) {
    return new SplitProblem(new CubicTerm(D, cubic), diffusion());
  }

  /**
   * n samples: u0(x) = a + b sin(2 pi x + p) + c sin(4 pi x + q) with random a, b, c in [-1, 1]
   * and phases, and their states at {@link #TIMES} from the true system (imex-rk4, step 0.001).
   */
  static TrajectoryDataset data(int n, long seed) {
    Random r = new Random(seed);
    double[] u0 = new double[n * D];
    for (int s = 0; s < n; s++) {
      double a = 2 * r.nextDouble() - 1, b = 2 * r.nextDouble() - 1, c = 2 * r.nextDouble() - 1;
      double p = 2 * Math.PI * r.nextDouble(), q = 2 * Math.PI * r.nextDouble();
      for (int i = 0; i < D; i++) {
        double x = (double) i / D;
        u0[s * D + i] = a + b * Math.sin(2 * Math.PI * x + p) + c * Math.sin(4 * Math.PI * x + q);
      }
    }
    try (var truth = Solver.solve(model(0, 0, 0, -1), SolverConfig.of(Method.parse("imex-rk4"), StepControl.fixed(0.001)), u0, n,
        org.panode.ode.SaveAt.times(TIMES))) {
      return TrajectoryDataset.fromBatch(u0, n, TIMES, truth.states());
    }
  }
}

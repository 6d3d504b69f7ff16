package org.panode.solve;

import java.util.Locale;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.Checkpointing;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Petsc;

/**
 * Not a test: one gradient of the KSE 64 model (MLP 64-200x4-64 + the fixed stencil, batch 256)
 * with rk4 at step 0.001 over a horizon given on the command line, for measuring peak RSS with
 * /usr/bin/time -v. Arguments: HORIZON [CHECKPOINTING (auto, memory, stride:K, disk:DIR)].
 * Command: docs/benchmarks.md.
 */
public final class CheckpointingMemoryBenchmark {
  public static void main(String[] args) {
    double horizon = Double.parseDouble(args[0]);
    Checkpointing checkpointing = Checkpointing.parse(args.length > 1 ? args[1] : "auto");
    int d = 64, batch = 256;
    try (Petsc petsc = Petsc.initialize(new String[0])) {
      var network = Network.mlp(d, new int[] {200, 200, 200, 200}, d, Activation.RELU, 0, 0.01);
      var stencil = new CircularStencilTerm(CircularStencilTerm.kuramotoSivashinskyStencil(22.0 / d), d, false);
      var problem = new SplitProblem(network, stencil);
      var config = SolverConfig.builder(Method.parse("rk4"), StepControl.fixed(0.001)).checkpointing(checkpointing).build();
      double[] u0 = new double[d * batch];
      for (int i = 0; i < u0.length; i++) {
        u0[i] = 0.5 * Math.sin(2 * Math.PI * (i % d) / d + i / d);
      }
      long start = System.nanoTime();
      try (Solver solver = Solver.of(problem, config)) {
        SaveAt at = SaveAt.times(horizon);
        String chosen = checkpointing instanceof Checkpointing.Auto a ? " -> " + solver.chooseCheckpointing(a, batch, at) : "";
        try (Trajectory tr = solver.solveForGradient(u0, batch, at)) {
          double[][] dLdu = {new double[d * batch]};
          java.util.Arrays.fill(dLdu[0], 1e-3);
          Gradients g = tr.gradient(dLdu);
          System.out.printf(Locale.ROOT, "horizon %s, %s%s: gradient in %.1f s, |dL/du0|_1 = %.12e%n", horizon, checkpointing,
              chosen, (System.nanoTime() - start) / 1e9, java.util.Arrays.stream(g.initialState()).map(Math::abs).sum());
        }
      }
    }
  }
}

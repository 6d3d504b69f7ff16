package org.panode.cli;

import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.panode.experiments.Run;
import org.panode.ode.SaveAt;
import org.panode.solve.Gradients;
import org.panode.solve.Solver;
import org.panode.solve.Trajectory;
import org.panode.train.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compares the adjoint gradient of the loss of a few training samples with central finite
 * differences of the same discrete solve, for randomly chosen parameters.
 */
@Command(name = "gradcheck", description = "adjoint gradient vs central finite differences on a configuration")
final class GradcheckCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Option(names = "--samples", description = "training samples in the batch (default 2)")
  int samples = 2;

  @Option(names = "--parameters", description = "parameters to check (default 20)")
  int parameters = 20;

  @Option(names = "--h", description = "finite-difference step (default 1e-6)")
  double h = 1e-6;

  @Override
  public Integer call() throws Exception {
    var s = options.settings();
    var setup = options.setup(s);
    var problem = setup.problem();
    int d = setup.dimension();
    samples = Math.min(samples, setup.train().size());
    double[] u0 = new double[samples * d];
    double[][][] targets = new double[setup.train().times().length][samples][];
    var train = setup.train();
    for (int i = 0; i < samples; i++) {
      System.arraycopy(train.initialState(i), 0, u0, i * d, d);
      for (int k = 0; k < targets.length; k++) {
        targets[k][i] = train.target(i, k);
      }
    }
    double[] times = train.times();
    RunOptions.petsc();
    SaveAt saveAt = SaveAt.times(times);
    try (ProblemOptions applied = ProblemOptions.apply(options.problem); Solver ode = Solver.of(problem, Run.config(s))) {
      Gradients grad;
      try (Trajectory solution = ode.solveForGradient(u0, samples, saveAt)) {
        grad = solution.gradient(setup.loss().gradient(solution.states(), flatten(targets, samples, d)));
      }
      SplittableRandom random = new SplittableRandom(s.seed());
      Parameters theta = Parameters.of(problem);
      double[] values = theta.get();
      double maxDiff = 0, maxFd = 0;
      for (int c = 0; c < parameters; c++) {
        int p = random.nextInt(setup.parameterCount());
        double original = values[p];
        values[p] = original + h;
        theta.set(values);
        double plus = loss(ode, setup, u0, samples, saveAt, flatten(targets, samples, d));
        values[p] = original - h;
        theta.set(values);
        double minus = loss(ode, setup, u0, samples, saveAt, flatten(targets, samples, d));
        values[p] = original;
        theta.set(values);
        double fd = (plus - minus) / (2 * h);
        maxDiff = Math.max(maxDiff, Math.abs(fd - grad.parameters()[p]));
        maxFd = Math.max(maxFd, Math.abs(fd));
        if (!options.json) {
          System.out.printf(Locale.ROOT, "parameter %7d  adjoint % .10e  finite differences % .10e%n", p, grad.parameters()[p], fd);
        }
      }
      double relative = maxDiff / maxFd;
      if (options.json) {
        System.out.printf(Locale.ROOT, "{\"problem\":\"%s\",\"method\":\"%s\",\"parameters_checked\":%d,\"relative_error\":%.3e}%n",
            options.problem, s.method(), parameters, relative);
      } else {
        System.out.printf(Locale.ROOT, "%s %s: max |adjoint - FD| / max |FD| = %.3e over %d parameters%n", options.problem,
            s.method(), relative, parameters);
      }
      return relative <= 1e-5 ? 0 : 1;
    }
  }

  private static double loss(Solver ode, org.panode.experiments.Setup setup, double[] u0, int samples, SaveAt saveAt,
      double[][] targets) {
    try (Trajectory t = ode.solve(u0, samples, saveAt)) {
      return setup.loss().value(t.states(), targets);
    }
  }

  private static double[][] flatten(double[][][] targets, int samples, int d) {
    double[][] flat = new double[targets.length][samples * d];
    for (int k = 0; k < targets.length; k++) {
      for (int i = 0; i < samples; i++) {
        System.arraycopy(targets[k][i], 0, flat[k], i * d, d);
      }
    }
    return flat;
  }
}

package org.panode.cli;

import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.solve.NeuralOde;
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
    try (NeuralOde ode = problem != null ? NeuralOde.of(problem, Method.parse(s.method()), StepControl.fixed(s.step()))
            : NeuralOde.of(setup.implicitProblem(), Method.parse(s.method()), StepControl.fixed(s.step()))) {
      var solution = ode.solve(u0, samples, 0, times, true);
      var grad = ode.gradient(setup.loss().gradient(solution.states(), flatten(targets, samples, d)));
      SplittableRandom random = new SplittableRandom(s.seed());
      int pJ = problem != null ? problem.implicit().parameterCount() : 0;
      double maxDiff = 0, maxFd = 0;
      for (int c = 0; c < parameters; c++) {
        int p = random.nextInt(setup.parameterCount());
        var segment = problem == null ? setup.implicitProblem().term().parameters()
            : p < pJ ? problem.implicit().parameters() : problem.explicit().parameters();
        int index = p < pJ ? p : p - pJ;
        double original = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original + h);
        double plus = setup.loss().value(ode.solve(u0, samples, 0, times, false).states(), flatten(targets, samples, d));
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original - h);
        double minus = setup.loss().value(ode.solve(u0, samples, 0, times, false).states(), flatten(targets, samples, d));
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original);
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

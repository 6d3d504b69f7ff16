package org.panode.experiments;

import static org.testng.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.panode.data.NamedArrays;
import org.panode.data.Pollu;
import org.panode.data.Rober;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.panode.ode.SaveAt;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.solve.Solves;
import org.panode.train.Loss;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The chemistry models (scaled GELU network through an implicit method, TSAdjoint) against
 * central finite differences of the same discrete solve, over the whole trajectory.
 */
public class ChemistryGradientTest {
  private static NamedArrays roberData, polluData;

  @BeforeClass
  void session() {
    PetscSession.get();
    var options = PetscSession.get().options();
    for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
      options.set("chemgrad_", o, "1e-14");
    }
    roberData = Rober.paper().generate();
    polluData = Pollu.paper().generate();
  }

  @DataProvider
  Object[][] cases() {
    // Measured: rober cn 3.8e-9, rober beuler 5.3e-9 (13 parameters each). POLLU cn reached only
    // 3.4e-5 while its Newton systems were solved by matrix-free GMRES (0.36 at default tolerances);
    // with the dense block LU of small implicit problems it agrees like ROBER.
    return new Object[][] {{"rober", "cn"}, {"pollu", "cn"}};
  }

  @Test(dataProvider = "cases")
  public void adjointMatchesFiniteDifferences(String problem, String method) {
    boolean rober = problem.equals("rober");
    var experiment = rober ? ChemistryExperiment.ROBER : ChemistryExperiment.POLLU;
    var defaults = experiment.defaults(experiment.grids().getFirst(), method);
    var s = new Settings(defaults.grid(), method, defaults.step(), 1, 1, 5e-3, "adamw", 3, Path.of("unused"));
    var setup = experiment.setup(s, rober ? roberData : polluData);
    var train = setup.train();
    // Perturb the network away from its initialisation so every layer matters; a smooth loss (scaled MSE).
    MemorySegment theta = ((org.panode.ode.ImplicitProblem) setup.problem()).term().parameters();
    int count = setup.parameterCount();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < count; i++) {
      theta.setAtIndex(ValueLayout.JAVA_DOUBLE, i, theta.getAtIndex(ValueLayout.JAVA_DOUBLE, i) + 0.1 * random.nextGaussian());
    }
    Loss loss = Loss.scaled(Loss.mse(), train.componentRanges());
    double[] u0 = train.initialState(0);
    double[] times = train.times();
    double[][] target = new double[times.length][];
    for (int k = 0; k < times.length; k++) {
      target[k] = train.target(0, k);
    }
    long began = System.nanoTime();
    var config = SolverConfig.builder(Method.parse(method), StepControl.fixed(s.step())).optionsPrefix("chemgrad_").build();
    try (var ode = Solver.of(setup.problem(), config)) {
      org.panode.solve.Gradients gradient;
      try (var solution = ode.solveForGradient(u0, 1, SaveAt.times(times))) {
        gradient = solution.gradient(loss.gradient(solution.states(), target));
      }
      double h = 1e-6, maxDiff = 0, maxFd = 0;
      int checked = 0;
      for (int p = 0; p < count; p += Math.max(1, count / 6)) {
        double original = theta.getAtIndex(ValueLayout.JAVA_DOUBLE, p);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original + h);
        double plus = loss.value(Solves.states(ode, u0, 1, times), target);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original - h);
        double minus = loss.value(Solves.states(ode, u0, 1, times), target);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original);
        double fd = (plus - minus) / (2 * h);
        maxDiff = Math.max(maxDiff, Math.abs(fd - gradient.parameters()[p]));
        maxFd = Math.max(maxFd, Math.abs(fd));
        checked++;
      }
      double relative = maxDiff / maxFd;
      System.out.printf("%s %s, %d steps of %.4f, %d of %d parameters: max |adjoint - FD| / max |FD| = %.2e (%.1f s)%n", problem,
          method, Math.round(times[times.length - 1] / s.step()), s.step(), checked, count, relative,
          (System.nanoTime() - began) / 1e9);
      assertTrue(relative <= 1e-6, problem + " " + method + ": relative error " + relative);
    }
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;

import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SolveCosts;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The counters, read from the callbacks: with a fixed J and a fixed step, one LU factorization
 * per solve + gradient whatever the stages, steps and samples; explicit evaluations per step as
 * the SINODE paper counts them (forward values + adjoint VJPs).
 */
public class CostCountTest {
  static final int D = 8, BATCH = 5;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {{"imex-rk2", 2}, {"imex-rk3", 4}, {"imex-rk4", 6}, {"imex-rk5", 8}, {"rk4", 4}};
  }

  static SolveCosts iteration(String method, double step, double[] times) {
    try (var ode = ode(method, step, false)) {
      return iteration(ode, times);
    }
  }

  static Solver ode(String method, double step, boolean learnableJ) {
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.05, 1.0 / D), D, learnableJ);
    var problem = new SplitProblem(new TanhMlpTerm(D, 6, 5, 0.3), stencil);
    return Solver.of(problem, SolverConfig.of(Method.parse(method), StepControl.fixed(step)));
  }

  /** One training iteration's solver work: a forward solve of the batch and its gradient. */
  static SolveCosts iteration(Solver ode, double[] times) {
    double[] u0 = new double[BATCH * D];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = Math.sin(i);
    }
    double[][] dLdu = new double[times.length][BATCH * D];
    for (double[] row : dLdu) {
      java.util.Arrays.fill(row, 1);
    }
    try (var solution = ode.solveForGradient(u0, BATCH, org.panode.ode.SaveAt.times(times))) {
      var gradients = solution.gradient(dLdu);
      return new SolveCosts(solution.costs(), gradients.costs());
    }
  }

  @Test
  public void factorsAreReusedAcrossIterationsUntilJChanges() {
    double[] times = {0.05, 0.1};
    try (var fixed = ode("imex-rk3", 0.01, false)) {
      assertEquals(lu(iteration(fixed, times)), 1);
      assertEquals(lu(iteration(fixed, times)), 0, "same J, same step: the factors are reused");
    }
    try (var learnable = ode("imex-rk3", 0.01, true)) {
      assertEquals(lu(iteration(learnable, times)), 1);
      var c = ((SplitProblem) learnable.problem()).implicit().parameters();
      c.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 1, c.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 1) * 1.01);
      assertEquals(lu(iteration(learnable, times)), 1, "an optimizer step changed J: one new factorization");
    }
  }

  private static long lu(SolveCosts c) {
    return c.forward().luFactorizations() + c.adjoint().luFactorizations();
  }

  @Test(dataProvider = "methods")
  public void explicitEvaluationsPerStepAndOneFactorization(String method, int stagesPerStep) {
    int steps = 10;
    SolveCosts costs = iteration(method, 0.01, new double[] {0.05, 0.1});
    System.out.printf("%-9s %d steps: forward NFE %d, adjoint NFE %d, LU %d + %d, linear solves %d + %d%n", method, steps,
        costs.forward().explicitEvaluations(), costs.adjoint().explicitEvaluations(), costs.forward().luFactorizations(),
        costs.adjoint().luFactorizations(), costs.forward().linearSolves(), costs.adjoint().linearSolves());
    assertEquals(costs.forward().steps(), steps);
    assertEquals(costs.forward().explicitEvaluations(), (long) stagesPerStep * steps, "forward NFE");
    assertEquals(costs.adjoint().explicitEvaluations(), (long) stagesPerStep * steps, "adjoint NFE");
    if (method.startsWith("imex")) {
      assertEquals(costs.forward().luFactorizations() + costs.adjoint().luFactorizations(), 1, "LU factorizations");
    }
  }

  @Test
  public void aShortenedLastStepRefactors() {
    // 0.1 / 0.03 is not an integer: the last step is shortened, the shift changes, the LU is rebuilt.
    SolveCosts costs = iteration("imex-rk2", 0.03, new double[] {0.1});
    assertEquals(costs.forward().steps(), 4);
    assertEquals(costs.forward().luFactorizations(), 2, "one LU for the full steps, one for the short step");
    assertEquals(costs.adjoint().luFactorizations(), 1, "the adjoint starts on the short step's factors, then refactors once");
  }
}

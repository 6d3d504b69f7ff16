package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Matrix-free Krylov gives the LU's states and gradients (to its tolerance), with no factorization. */
public class LinearSolverChoiceTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void gmresMatchesLu() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    double[] times = SolverGradientTest.TIMES;
    int batch = SolverGradientTest.BATCH;
    var problem = SolverGradientTest.problem();
    double[][] luStates, krylovStates;
    org.panode.ode.PhaseCosts luCosts, krylovCosts;
    Gradients luGradients, krylovGradients;
    try (var ode = Solver.solve(problem, SolverConfig.of(Method.parse("imex-rk3"), StepControl.fixed(SolverGradientTest.STEP)),
        u0, batch, SaveAt.times(times))) {
      luStates = ode.states();
      luCosts = ode.costs();
      luGradients = ode.gradient(c);
    }
    var krylov = SolverConfig.builder(Method.parse("imex-rk3"), StepControl.fixed(SolverGradientTest.STEP))
        .linearSolver(LinearSolver.gmres(1e-13)).build();
    try (var ode = Solver.solve(problem, krylov, u0, batch, SaveAt.times(times))) {
      krylovStates = ode.states();
      krylovCosts = ode.costs();
      krylovGradients = ode.gradient(c);
    }
    for (int k = 0; k < times.length; k++) {
      for (int i = 0; i < u0.length; i++) {
        assertEquals(krylovStates[k][i], luStates[k][i], 1e-10);
      }
    }
    for (int p = 0; p < luGradients.parameters().length; p++) {
      assertEquals(krylovGradients.parameters()[p], luGradients.parameters()[p], 1e-8 * Math.max(1, Math.abs(luGradients.parameters()[p])));
    }
    for (int i = 0; i < u0.length; i++) {
      assertEquals(krylovGradients.initialState()[i], luGradients.initialState()[i], 1e-8 * Math.max(1, Math.abs(luGradients.initialState()[i])));
    }
    assertEquals(krylovCosts.luFactorizations() + krylovGradients.costs().luFactorizations(), 0);
    assertTrue(krylovCosts.krylovIterations() > 0, "GMRES iterated");
    System.out.printf("GMRES forward: %d Krylov iterations, %d implicit applications; LU forward: %d factorization(s)%n",
        krylovCosts.krylovIterations(), krylovCosts.implicitApplications(), luCosts.luFactorizations());
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.panode.ode.Method;
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
    double[] u0 = NeuralOdeGradientTest.initialStates();
    double[][] c = NeuralOdeGradientTest.lossWeights();
    double[] times = NeuralOdeGradientTest.TIMES;
    int batch = NeuralOdeGradientTest.BATCH;
    var problem = NeuralOdeGradientTest.problem();
    Solution luStates, krylovStates;
    Gradients luGradients, krylovGradients;
    try (var ode = NeuralOde.of(problem, Method.parse("imex-rk3"), StepControl.fixed(NeuralOdeGradientTest.STEP))) {
      luStates = ode.solve(u0, batch, 0, times, true);
      luGradients = ode.gradient(c);
    }
    try (var ode = NeuralOde.of(problem, Method.parse("imex-rk3"), StepControl.fixed(NeuralOdeGradientTest.STEP))
        .linearSolver(LinearSolver.gmres(1e-13))) {
      krylovStates = ode.solve(u0, batch, 0, times, true);
      krylovGradients = ode.gradient(c);
    }
    for (int k = 0; k < times.length; k++) {
      for (int i = 0; i < u0.length; i++) {
        assertEquals(krylovStates.states()[k][i], luStates.states()[k][i], 1e-10);
      }
    }
    for (int p = 0; p < luGradients.parameters().length; p++) {
      assertEquals(krylovGradients.parameters()[p], luGradients.parameters()[p], 1e-8 * Math.max(1, Math.abs(luGradients.parameters()[p])));
    }
    for (int i = 0; i < u0.length; i++) {
      assertEquals(krylovGradients.initialState()[i], luGradients.initialState()[i], 1e-8 * Math.max(1, Math.abs(luGradients.initialState()[i])));
    }
    assertEquals(krylovStates.costs().luFactorizations() + krylovGradients.costs().luFactorizations(), 0);
    assertTrue(krylovStates.costs().krylovIterations() > 0, "GMRES iterated");
    System.out.printf("GMRES forward: %d Krylov iterations, %d implicit applications; LU forward: %d factorization(s)%n",
        krylovStates.costs().krylovIterations(), krylovStates.costs().implicitApplications(), luStates.costs().luFactorizations());
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.petsc.Checkpointing;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Adaptive steps reach the accurate solution; every trajectory storage gives the same gradient. */
public class StepAndStorageOptionsTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void adaptiveDopri5MatchesAFineFixedStepSolution() throws Exception {
    double[] u0 = NeuralOdeGradientTest.initialStates();
    double[] times = {0.5, 1.0};
    double[][] reference;
    try (var fine = NeuralOde.of(NeuralOdeGradientTest.problem(), Method.parse("imex-rk5"), StepControl.fixed(1e-3))) {
      reference = fine.solve(u0, 2, 0, times, false).states();
    }
    try (var adaptive = NeuralOde.of(NeuralOdeGradientTest.problem(), Method.parse("dopri5"), StepControl.adaptive(0.1, 1e-9, 1e-9))) {
      var s = adaptive.solve(u0, 2, 0, times, true);
      for (int k = 0; k < times.length; k++) {
        for (int i = 0; i < u0.length; i++) {
          assertEquals(s.states()[k][i], reference[k][i], 1e-6);
        }
      }
      assertTrue(s.costs().steps() > 2, "adaptive steps taken: " + s.costs().steps());
      double[][] dLdu = NeuralOdeGradientTest.lossWeights();
      var g = adaptive.gradient(new double[][] {dLdu[0], dLdu[1]});
      assertEquals(g.costs().steps(), s.costs().steps(), "the adjoint retraces the accepted steps");
    }
  }

  @Test
  public void strideAndDiskCheckpointingGiveTheSameGradient() throws Exception {
    double[] u0 = NeuralOdeGradientTest.initialStates();
    double[][] c = NeuralOdeGradientTest.lossWeights();
    Gradients[] results = new Gradients[3];
    Checkpointing[] storage = {Checkpointing.memory(), Checkpointing.stride(3),
        Checkpointing.disk(Files.createTempDirectory("panode-node").resolve("steps"))};
    for (int i = 0; i < storage.length; i++) {
      try (var ode = NeuralOde.of(NeuralOdeGradientTest.problem(), Method.parse("imex-rk3"), StepControl.fixed(0.025))
          .checkpointing(storage[i])) {
        ode.solve(u0, 2, 0, NeuralOdeGradientTest.TIMES, true);
        results[i] = ode.gradient(c);
      }
    }
    for (int i = 1; i < storage.length; i++) {
      for (int p = 0; p < results[0].parameters().length; p++) {
        assertEquals(results[i].parameters()[p], results[0].parameters()[p], 1e-12 * Math.max(1, Math.abs(results[0].parameters()[p])),
            storage[i] + " parameter " + p);
      }
      for (int j = 0; j < u0.length; j++) {
        assertEquals(results[i].initialState()[j], results[0].initialState()[j], 1e-12 * Math.max(1, Math.abs(results[0].initialState()[j])));
      }
    }
  }
}

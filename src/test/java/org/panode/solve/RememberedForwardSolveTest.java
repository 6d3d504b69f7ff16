package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.panode.nn.CountingTanh;
import org.panode.nn.Dense;
import org.panode.nn.Network;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.ode.Checkpointing;
import org.panode.ode.SaveAt;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * A solve for a gradient lets the network remember its forward passes: the adjoint's VJPs then run
 * no forward pass of their own, and the gradient is the one computed without remembering.
 */
public class RememberedForwardSolveTest {
  private static final int D = 8, BATCH = 5;
  private static final double[] TIMES = {0.05, 0.1};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] cases() {
    // dopri5 is FSAL: its first stage reuses the previous step's last one, evaluated at a state that
    // equals the stored solution only up to rounding, so the adjoint's first-stage VJPs of steps 2..10
    // (9) recompute their forward pass.
    return new Object[][] {
      {"imex-rk2", Checkpointing.memory(), 0}, {"imex-rk4", Checkpointing.memory(), 0},
      {"rk4", Checkpointing.memory(), 0}, {"dopri5", Checkpointing.memory(), 9},
      {"imex-rk2", Checkpointing.stride(3), 0},
    };
  }

  private record Run(Gradients gradients, int forwardPasses, int adjointForwardPasses) {}

  private static Run run(String method, Checkpointing checkpointing, boolean keepsState) {
    var counter = new CountingTanh(16, keepsState);
    var network = new Network(3, List.of(new Dense(D, 16, 0.4), counter, new Dense(16, D, 0.4)));
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.05, 1.0 / D), D, false);
    double[] u0 = new double[BATCH * D];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = Math.sin(i);
    }
    var config = SolverConfig.builder(Method.parse(method), StepControl.fixed(0.01)).checkpointing(checkpointing).build();
    try (var ode = Solver.solve(new SplitProblem(network, stencil), config, u0, BATCH, SaveAt.times(TIMES))) {
      int forward = counter.forwards;
      double[][] dLdu = new double[TIMES.length][BATCH * D];
      for (double[] row : dLdu) {
        java.util.Arrays.fill(row, 1);
      }
      Gradients g = ode.gradient(dLdu);
      return new Run(g, forward, counter.forwards - forward);
    }
  }

  @Test(dataProvider = "cases")
  public void theAdjointRunsNoForwardPassOfItsOwn(String method, Checkpointing checkpointing, int misses) {
    Run remembered = run(method, checkpointing, false);
    Run recomputed = run(method, checkpointing, true);
    assertTrue(remembered.forwardPasses() > 0);
    long adjointVjps = remembered.gradients().costs().vjps();
    assertTrue(recomputed.adjointForwardPasses() >= adjointVjps, "without remembering: a forward pass per VJP");
    if (checkpointing instanceof Checkpointing.Stride) {
      // The adjoint recomputes the steps between checkpoints, and those forward passes serve its VJPs.
      assertEquals(remembered.adjointForwardPasses(), recomputed.adjointForwardPasses() - adjointVjps + misses);
    } else {
      assertEquals(remembered.adjointForwardPasses(), misses, "adjoint forward passes");
    }
    assertClose(remembered.gradients().parameters(), recomputed.gradients().parameters());
    assertClose(remembered.gradients().initialState(), recomputed.gradients().initialState());
  }

  private static void assertClose(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    double scale = 0;
    for (double x : b) {
      scale = Math.max(scale, Math.abs(x));
    }
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-13 * scale, "entry " + i);
    }
  }
}

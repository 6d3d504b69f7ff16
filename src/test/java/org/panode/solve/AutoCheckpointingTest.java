package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.panode.nn.CountingTanh;
import org.panode.nn.Dense;
import org.panode.nn.Network;
import org.panode.ode.Checkpointing;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Checkpointing.auto(): memory when the trajectory and the remembered passes fit the budget, stride
 * near sqrt(steps) without remembering when not, and either way the gradient of memory checkpointing.
 */
public class AutoCheckpointingTest {
  private static final int D = 8, BATCH = 5;
  private static final double[] TIMES = {0.05, 0.1};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void kse64Rk4AtAThousandthDoesNotFitOneGibAndGetsStrideNearSqrtSteps() {
    Method rk4 = Method.parse("rk4");
    // 1000 steps x (1 + 4) vectors x 64 x 256 x 8 bytes = 655 MB, plus a full 1 GiB tape
    var choice = AutoCheckpointing.choose(new Checkpointing.Auto(1L << 30), rk4, 64, 256, 1000, 1L << 30);
    assertEquals(choice.estimatedBytes(), 1000L * 5 * 64 * 256 * 8 + (1L << 30));
    assertEquals(choice.choice(), Checkpointing.stride(32));
    assertFalse(choice.remember());
    // the same solve at batch 16 without remembering fits
    var small = AutoCheckpointing.choose(new Checkpointing.Auto(1L << 30), rk4, 64, 16, 1000, 0);
    assertEquals(small.choice(), Checkpointing.memory());
    assertTrue(small.remember());
    // unknown step count (adaptive): memory
    assertEquals(AutoCheckpointing.choose(new Checkpointing.Auto(0), rk4, 64, 256, -1, 0).choice(), Checkpointing.memory());
    assertEquals(AutoCheckpointing.fixedSteps(StepControl.fixed(0.001), 0, new double[] {1.0}), 1000);
    assertEquals(AutoCheckpointing.fixedSteps(StepControl.fixed(0.3), 0, new double[] {1.0}), -1);
    assertEquals(AutoCheckpointing.fixedSteps(StepControl.adaptive(0.1, 1e-6, 1e-6), 0, new double[] {1.0}), -1);
  }

  @Test
  public void theStoredVectorsFollowTheMethod() {
    assertEquals(AutoCheckpointing.storedStageVectors(Method.parse("rk4")), 4);
    assertEquals(AutoCheckpointing.storedStageVectors(Method.parse("dopri5")), 7);
    assertEquals(AutoCheckpointing.storedStageVectors(Method.parse("imex-rk2")), 4);
  }

  @Test
  public void theNetworkEstimatesWhatItWouldRemember() {
    var network = new Network(3, List.of(new Dense(D, 16, 0.4), new CountingTanh(16, false), new Dense(16, D, 0.4)));
    long perPass = 8L * BATCH * (D + 16 + 16 + D); // the input and each layer's output
    assertEquals(network.rememberedBytes(BATCH, 10), 10 * perPass);
    network.maxRememberedBytes(3 * perPass);
    assertEquals(network.rememberedBytes(BATCH, 10), 3 * perPass);
  }

  private record Result(Gradients gradients, int adjointForwardPasses) {}

  private static Result run(String method, Checkpointing checkpointing) {
    var counter = new CountingTanh(16, false);
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
      for (int k = 0; k < dLdu.length; k++) {
        for (int i = 0; i < dLdu[k].length; i++) {
          dLdu[k][i] = Math.cos(i + k);
        }
      }
      Gradients g = ode.gradient(dLdu);
      return new Result(g, counter.forwards - forward);
    }
  }

  @Test
  public void autoGivesTheGradientOfMemoryWhicheverItChooses() {
    for (String method : new String[] {"rk4", "imex-rk2"}) {
      Result memory = run(method, Checkpointing.memory());
      Result fits = run(method, Checkpointing.auto());
      Result stride = run(method, new Checkpointing.Auto(0)); // nothing fits: stride 3 of 10 steps (sqrt 10 -> 3, plan 2)
      assertEquals(fits.adjointForwardPasses(), memory.adjointForwardPasses(), method + ": auto with room = memory");
      assertTrue(stride.adjointForwardPasses() >= stride.gradients().costs().vjps(),
          method + ": under stride the network remembers nothing, so each VJP reruns its forward");
      assertTrue(stride.adjointForwardPasses() > memory.adjointForwardPasses(), method);
      for (Result r : List.of(fits, stride)) {
        assertClose(r.gradients().parameters(), memory.gradients().parameters());
        assertClose(r.gradients().initialState(), memory.gradients().initialState());
      }
    }
  }

  /**
   * 13 steps (a prime count): no stride of 2 or more divides them, so auto, having found memory too
   * large, keeps the trajectory in files (before: in memory, what it had ruled out); same gradient.
   * Stride checkpointing with adaptive steps is refused (PETSc's scheme counts the steps ahead).
   */
  @Test
  public void withAPrimeStepCountAutoGoesToFilesNotMemory() {
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.05, 1.0 / D), D, false);
    var problem = new SplitProblem(new Network(3, List.of(new Dense(D, 16, 0.4), new CountingTanh(16, false), new Dense(16, D, 0.4))),
        stencil);
    double[] u0 = new double[BATCH * D];
    java.util.Arrays.setAll(u0, Math::sin);
    double[][] dLdu = {new double[BATCH * D]};
    java.util.Arrays.setAll(dLdu[0], Math::cos);
    Gradients[] g = new Gradients[2];
    Checkpointing[] policies = {Checkpointing.memory(), new Checkpointing.Auto(0)};
    for (int i = 0; i < 2; i++) {
      var config = SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.01)).checkpointing(policies[i]).build();
      try (var t = Solver.solve(problem, config, u0, BATCH, SaveAt.times(0.13))) {
        if (i == 1) {
          assertTrue(t.run().storage() instanceof Checkpointing.Disk, "auto chose " + t.run().storage());
        }
        g[i] = t.gradient(dLdu);
      }
    }
    assertClose(g[1].parameters(), g[0].parameters());
    assertClose(g[1].initialState(), g[0].initialState());
    var e = org.testng.Assert.expectThrows(IllegalArgumentException.class, () -> SolverConfig.builder(Method.parse("imex-rk2"),
        StepControl.adaptive(0.01, 1e-6, 1e-6)).checkpointing(Checkpointing.stride(4)).build().check(problem));
    assertTrue(e.getMessage().contains("stride checkpointing needs fixed steps"), e.getMessage());
  }

  /** Steps that divide the intervals are counted at large times too (1e7 + 0.1 is not exactly 0.1 past 1e7). */
  @Test
  public void theStridePlanCountsStepsAtLargeTimes() {
    assertEquals(StridePlan.of(1e7, new double[] {1e7 + 0.1, 1e7 + 0.2}, 0.01, 4), new StridePlan(20, 4));
    assertEquals(StridePlan.of(0, new double[] {0.15}, 0.01, 5), new StridePlan(15, 5));
    org.testng.Assert.expectThrows(IllegalArgumentException.class, () -> StridePlan.of(0, new double[] {0.155}, 0.01, 5));
  }

  @Test
  public void parseReadsTheCommandLineSpellingAndExplainsMistakes() {
    assertEquals(Checkpointing.parse("auto"), Checkpointing.auto());
    assertEquals(Checkpointing.parse("MEMORY"), Checkpointing.memory());
    assertEquals(Checkpointing.parse("stride:25"), Checkpointing.stride(25));
    assertEquals(Checkpointing.parse("disk:/tmp/panode-tj"), Checkpointing.disk(java.nio.file.Path.of("/tmp/panode-tj")));
    for (String bad : new String[] {"", "stride", "stride:0", "stride:x", "disk:", "revolve", "stride:-3"}) {
      try {
        Checkpointing.parse(bad);
        throw new AssertionError("accepted '" + bad + "'");
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().contains("auto, memory, stride:K"), e.getMessage());
      }
    }
  }

  private static void assertClose(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    double scale = Arrays.stream(b).map(Math::abs).max().orElse(0);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-12 * scale, "entry " + i);
    }
  }
}

package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.Arrays;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.solve.SolutionDivergedException;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A model learns a stiff system: data from du/dt = -u^3 + nu u_xx (d = 16, diffusion eigenvalues
 * down to -307, {@link ReactionDiffusion}); the model is a learnable cubic (starting at 0) plus the
 * fixed diffusion, trained with IMEX-RK2 at step 0.05, where explicit RK4 (stable below 0.0091)
 * diverges.
 *
 * <p>Measured (60 epochs, 32 training samples in batches of 8, Adam lr 0.05 with a plateau
 * schedule, about 7 s): test MSE from 1.25e-2 to 3.9e-6, near the floor set by IMEX-RK2's own
 * error at this step (training loss 5.8e-6); the u^3 coefficient reaches -1.0006. The threshold
 * 2e-5 leaves a 5x margin. RK4 at the same step overflows at its third step.
 */
public class ModelLearnsTest {
  static final double STEP = 0.05;
  static final double THRESHOLD = 2e-5;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void imexModelLearnsAtAStepWhereRk4Diverges() {
    var train = ReactionDiffusion.data(32, 1);
    var test = ReactionDiffusion.data(16, 2);
    var problem = ReactionDiffusion.model(0, 0, 0, 0);
    try (var ode = Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(STEP)))) {
      var trainer = new Trainer(ode, train, Loss.mse(), Optimizer.named("adam", 0.05, problem.parameterCount()), 8, 7)
          .schedule(new PlateauSchedule(5, 0.5, 1e-4));
      double before = trainer.evaluate(test);
      long began = System.nanoTime();
      var reports = trainer.train(60);
      double seconds = (System.nanoTime() - began) / 1e9;
      double after = trainer.evaluate(test);
      double[] c = trainer.parameters().get();
      System.out.printf("imex-rk2 step %.2f: test MSE %.3e -> %.3e after 60 epochs (%.1f s, NFE per epoch %d), "
          + "last training loss %.3e, cubic coefficients %s%n", STEP, before, after, seconds, reports.get(59).costs().nfe(),
          reports.get(59).loss(), Arrays.toString(c));
      assertTrue(after < THRESHOLD, "test MSE " + after + " not below " + THRESHOLD);
      assertTrue(after < before / 500, "test MSE fell only from " + before + " to " + after);
      assertEquals(c[3], -1, 0.02, "the learned u^3 coefficient");
    }
    try (var rk4 = Solver.of(problem, SolverConfig.of(Method.parse("rk4"), StepControl.fixed(STEP)))) {
      double[] theta = problem.explicit().parameters().toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
      var trainer = new Trainer(rk4, train, Loss.mse(), Optimizer.named("adam", 0.05, problem.parameterCount()), 8, 7);
      var e = expectThrows(SolutionDivergedException.class, trainer::epoch);
      System.out.println("rk4 at step " + STEP + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("rk4") && e.getMessage().contains("step " + STEP)
          && e.getMessage().contains("not finite"), e.getMessage());
      assertEquals(trainer.parameters().get(), theta, "a diverged solve must not change the parameters");
      expectThrows(SolutionDivergedException.class, () -> trainer.evaluate(test));
    }
  }
}

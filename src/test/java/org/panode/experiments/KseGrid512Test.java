package org.panode.experiments;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.nio.file.Path;
import org.panode.data.KuramotoSivashinsky;
import org.panode.data.NdArray;
import org.panode.petsc.PetscSession;
import org.panode.solve.SolutionDivergedException;
import org.panode.train.EpochReport;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * KSE on grid 512 with the paper's model: imex-rk2 at step 0.2 trains (the loss falls over a few
 * epochs) where rk4 at step 1e-6, just above its stability limit for the stencil's stiffest
 * eigenvalue (about -4.7e6, so h < 5.9e-7), diverges within the first epoch with a clear error.
 * The data is a cheaper trajectory of the same shape (ETDRK4 step 0.02, short transient).
 */
public class KseGrid512Test {
  private NdArray.Doubles u;

  @BeforeClass
  void data() {
    PetscSession.get();
    u = new KuramotoSivashinsky(512, 22, KuramotoSivashinsky.InitialCondition.PERIODIC, 0.02, 100, 0.1, 10_000)
        .generate().doubles("u");
  }

  private static Settings settings(String method, double step) {
    return new Settings(512, method, step, 1, 256, 5e-3, "adamw", 0, Path.of("unused"));
  }

  @Test
  public void imexTrains() {
    Settings s = settings("imex-rk2", 0.2);
    try (Run run = Run.of(s, new KseExperiment().setup(s, u))) {
      double first = Double.NaN, last = Double.NaN;
      for (int epoch = 0; epoch < 4; epoch++) {
        EpochReport report = run.trainer().epoch();
        first = epoch == 0 ? report.loss() : first;
        last = report.loss();
      }
      System.out.printf("KSE 512 imex-rk2 step 0.2: loss %.4e at epoch 1 -> %.4e at epoch 4%n", first, last);
      assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
    }
  }

  @Test
  public void rk4DivergesWithAClearMessage() {
    Settings s = settings("rk4", 1e-6);
    try (Run run = Run.of(s, new KseExperiment().setup(s, u))) {
      long start = System.nanoTime();
      var e = expectThrows(SolutionDivergedException.class, () -> run.trainer().epoch());
      System.out.printf("KSE 512 rk4 step 1e-6 diverged after %.1f s: %s%n", (System.nanoTime() - start) / 1e9, e.getMessage());
      assertTrue(e.getMessage().contains("rk4"), e.getMessage());
    }
  }
}

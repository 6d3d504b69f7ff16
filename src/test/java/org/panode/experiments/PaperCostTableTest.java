package org.panode.experiments;

import static org.testng.Assert.assertEquals;

import java.nio.file.Path;
import org.panode.data.Burgers;
import org.panode.data.KuramotoSivashinsky;
import org.panode.data.NdArray;
import org.panode.petsc.PetscSession;
import org.panode.train.EpochReport;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Table 2 of the SINODE paper, read from the counters of one real training epoch of each
 * experiment with the paper's settings (network, batch, steps). The data is a cheaper trajectory of
 * the same shape (the counts do not depend on the values): KSE at ETDRK4 step 0.05 after a short
 * transient, Burgers as the paper (step 1e-3). rk4 at 0.001 (24,000 and 15,200) is in the slow group.
 */
public class PaperCostTableTest {
  private NdArray.Doubles kse;
  private NdArray.Doubles burgers;

  @BeforeClass
  void data() {
    PetscSession.get();
    kse = new KuramotoSivashinsky(64, 22, KuramotoSivashinsky.InitialCondition.PERIODIC, 0.05, 100, 0.1, 10_000)
        .generate().doubles("u");
    burgers = Burgers.paper(512).generate().doubles("u");
  }

  @DataProvider
  Object[][] kseTable() {
    return new Object[][] {{"imex-rk2", 60}, {"imex-rk3", 120}, {"imex-rk4", 180}, {"imex-rk5", 240}};
  }

  @Test(dataProvider = "kseTable")
  public void kse(String method, int nfe) {
    assertEquals(epochNfe(new KseExperiment(), kse, 64, method, 0.2), nfe, "KSE grid 64 " + method);
  }

  @DataProvider
  Object[][] burgersTable() {
    return new Object[][] {{"imex-rk2", 152}, {"imex-rk3", 304}, {"imex-rk4", 456}, {"imex-rk5", 608}};
  }

  @Test(dataProvider = "burgersTable")
  public void burgers(String method, int nfe) {
    assertEquals(epochNfe(new BurgersExperiment(), burgers, 512, method, 0.05), nfe, "Burgers grid 512 " + method);
  }

  @Test(groups = "slow")
  public void rk4() {
    assertEquals(epochNfe(new KseExperiment(), kse, 64, "rk4", 0.001), 24_000, "KSE rk4");
    assertEquals(epochNfe(new BurgersExperiment(), burgers, 512, "rk4", 0.001), 15_200, "Burgers rk4");
  }

  /**
   * Burgers' defaults: the paper's explicit steps per grid (0.001 at 512, 0.0005 at 1024, where 0.001
   * is past RK4's stability limit), and 200 test pairs whatever the batch (they followed --batch).
   */
  @Test
  public void burgersExplicitStepsPerGridAndATestSetIndependentOfTheBatch() {
    var experiment = new BurgersExperiment();
    assertEquals(experiment.defaults(512, "rk4").step(), 0.001);
    assertEquals(experiment.defaults(1024, "rk4").step(), 0.0005);
    assertEquals(experiment.defaults(1024, "imex-rk2").step(), 0.05);
    for (int batch : new int[] {50, 200}) {
      Settings d = experiment.defaults(512, "imex-rk2");
      Settings s = new Settings(512, d.method(), d.step(), 1, batch, d.learningRate(), d.optimizer(), 0, Path.of("unused"));
      assertEquals(experiment.setup(s, burgers).test().size(), 200, "batch " + batch);
    }
  }

  private static long epochNfe(Experiment experiment, NdArray.Doubles u, int grid, String method, double step) {
    Settings defaults = experiment.defaults(grid, method);
    Settings s = new Settings(grid, method, step, 1, defaults.batch(), defaults.learningRate(), defaults.optimizer(), 0,
        Path.of("unused"));
    Setup setup = experiment instanceof KseExperiment k ? k.setup(s, u) : ((BurgersExperiment) experiment).setup(s, u);
    try (Run run = Run.of(s, setup)) {
      EpochReport report = run.trainer().epoch();
      System.out.printf("%s grid %d %s step %s: %d batches, NFE %d (forward %d + adjoint %d)%n", experiment.name(), grid,
          method, step, report.batches(), report.costs().nfe(), report.costs().forward().explicitEvaluations(),
          report.costs().adjoint().explicitEvaluations());
      return report.costs().nfe();
    }
  }
}

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
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Dataset layout, batching by an order, shuffles, and clear errors for NaN/Inf and shape mismatches. */
public class TrajectoryDatasetTest {
  static final double[] TIMES = {0.1, 0.2};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  /** 3 samples of d = 2: sample n starts at (n, 10n); its target at time k is (n + k + 1, 10n + k + 1). */
  static double[][][] targets() {
    double[][][] t = new double[3][2][];
    for (int n = 0; n < 3; n++) {
      for (int k = 0; k < 2; k++) {
        t[n][k] = new double[] {n + k + 1, 10 * n + k + 1};
      }
    }
    return t;
  }

  static double[][] initial() {
    return new double[][] {{0, 0}, {1, 10}, {2, 20}};
  }

  @Test
  public void batchesFollowTheOrderInSolverLayout() {
    var data = new TrajectoryDataset(TIMES, initial(), targets());
    int[] order = {2, 0, 1};
    assertEquals(data.initialStates(order, 0, 2), new double[] {2, 20, 0, 0});
    double[][] t = data.targets(order, 1, 3);
    assertEquals(t[0], new double[] {1, 1, 2, 11});
    assertEquals(t[1], new double[] {2, 2, 3, 12});
    var same = TrajectoryDataset.fromBatch(new double[] {0, 0, 1, 10, 2, 20}, 3, TIMES,
        new double[][] {{1, 1, 2, 11, 3, 21}, {2, 2, 3, 12, 4, 22}});
    assertEquals(same.targets(order, 0, 3), data.targets(order, 0, 3));
    assertEquals(data.componentRanges(), new double[] {4, 22});
  }

  @Test
  public void nanAndInfNameTheSampleAndComponent() {
    double[][] u0 = initial();
    u0[1][1] = Double.NaN;
    var e = expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(TIMES, u0, targets()));
    assertEquals(e.getMessage(), "initial state of sample 1 has NaN at component 1");
    double[][][] t = targets();
    t[2][1][0] = Double.NEGATIVE_INFINITY;
    e = expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(TIMES, initial(), t));
    assertEquals(e.getMessage(), "target of sample 2 at output time 1 (t = 0.2) has -Infinity at component 0");
  }

  @Test
  public void shapeMismatchesAreClear() {
    double[][] u0 = initial();
    u0[2] = new double[3];
    var e = expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(TIMES, u0, targets()));
    assertEquals(e.getMessage(), "initial state of sample 2 has 3 components; sample 0 has 2");
    double[][][] t = targets();
    t[1] = new double[][] {{1, 2}};
    e = expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(TIMES, initial(), t));
    assertTrue(e.getMessage().startsWith("sample 1 has targets at 1 times; expected 2"), e.getMessage());
    e = expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(new double[] {0.2, 0.1}, initial(), targets()));
    assertTrue(e.getMessage().contains("increase"), e.getMessage());
    expectThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(TIMES, new double[0][], new double[0][][]));
    expectThrows(IllegalArgumentException.class, () -> TrajectoryDataset.fromBatch(new double[5], 2, TIMES, new double[2][4]));
  }

  @Test
  public void dataOfTheWrongDimensionIsRefusedByTheTrainer() {
    var data = new TrajectoryDataset(TIMES, initial(), targets());
    var problem = ReactionDiffusion.model(0, 0, 0, 0);
    try (var ode = Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.05)))) {
      var e = expectThrows(IllegalArgumentException.class,
          () -> new Trainer(ode, data, Loss.mse(), Optimizer.named("adam", 0.01, 4), 2, 0));
      assertEquals(e.getMessage(), "the training data has states of dimension 2 but the model's dimension is 16");
      var trainer = new Trainer(ode, ReactionDiffusion.data(4, 1), Loss.mse(), Optimizer.named("adam", 0.01, 4), 2, 0);
      e = expectThrows(IllegalArgumentException.class, () -> trainer.evaluate(data));
      assertEquals(e.getMessage(), "the evaluation data has states of dimension 2 but the model's dimension is 16");
      e = expectThrows(IllegalArgumentException.class,
          () -> new Trainer(ode, ReactionDiffusion.data(4, 1), Loss.mse(), Optimizer.named("adam", 0.01, 5), 2, 0));
      assertTrue(e.getMessage().contains("5 parameters; the problem has 4"), e.getMessage());
      var dropAll = new Trainer(ode, ReactionDiffusion.data(3, 1), Loss.mse(), Optimizer.named("adam", 0.01, 4), 4, 0)
          .dropLast(true);
      expectThrows(IllegalStateException.class, dropAll::epoch);
    }
  }

  @Test
  public void shufflesArePermutationsReproducibleFromTheSeed() {
    var a = new SplitMix64(42);
    var b = new SplitMix64(42);
    int[] first = a.permutation(50);
    assertEquals(b.permutation(50), first);
    int[] sorted = first.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertEquals(sorted[i], i);
    }
    assertTrue(!Arrays.equals(a.permutation(50), first), "each epoch draws a new order");
    var resumed = new SplitMix64(b.state());
    assertEquals(resumed.permutation(50), b.permutation(50));
  }
}

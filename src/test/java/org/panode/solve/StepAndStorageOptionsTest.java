package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.nio.file.Files;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.ode.Checkpointing;
import org.panode.ode.SaveAt;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscException;
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
    double[] u0 = SolverGradientTest.initialStates();
    double[] times = {0.5, 1.0};
    double[][] reference;
    try (var fine = Solver.of(SolverGradientTest.problem(), SolverConfig.of(Method.parse("imex-rk5"), StepControl.fixed(1e-3)))) {
      reference = Solves.states(fine, u0, 2, times);
    }
    try (var s = Solver.solve(SolverGradientTest.problem(),
        SolverConfig.of(Method.parse("dopri5"), StepControl.adaptive(0.1, 1e-9, 1e-9)), u0, 2, SaveAt.times(times))) {
      for (int k = 0; k < times.length; k++) {
        for (int i = 0; i < u0.length; i++) {
          assertEquals(s.states()[k][i], reference[k][i], 1e-6);
        }
      }
      assertTrue(s.costs().steps() > 2, "adaptive steps taken: " + s.costs().steps());
      double[][] dLdu = SolverGradientTest.lossWeights();
      var g = s.gradient(new double[][] {dLdu[0], dLdu[1]});
      assertEquals(g.costs().steps(), s.costs().steps(), "the adjoint retraces the accepted steps");
    }
  }

  @Test
  public void strideAndDiskCheckpointingGiveTheSameGradient() throws Exception {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    Gradients[] results = new Gradients[3];
    Checkpointing[] storage = {Checkpointing.memory(), Checkpointing.stride(3),
        Checkpointing.disk(Files.createTempDirectory("panode-node").resolve("steps"))};
    for (int i = 0; i < storage.length; i++) {
      var config = SolverConfig.builder(Method.parse("imex-rk3"), StepControl.fixed(0.025)).checkpointing(storage[i]).build();
      try (var solution = Solver.solve(SolverGradientTest.problem(), config, u0, 2, SaveAt.times(SolverGradientTest.TIMES))) {
        results[i] = solution.gradient(c);
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

  /**
   * disk:DIR with a folder that holds a user's files (here: a finished run's): the steps go to a folder
   * of Panode's own inside it, which is gone afterwards, and the user's files stay (PETSc removes its
   * trajectory folder with everything in it, and refuses an existing one).
   */
  @Test
  public void diskCheckpointingIntoAFolderWithFilesKeepsThem() throws Exception {
    java.nio.file.Path folder = Files.createTempDirectory("panode-finished-run");
    java.nio.file.Path model = Files.writeString(folder.resolve("model.npy"), "a finished run's model");
    java.nio.file.Path nested = Files.writeString(Files.createDirectory(folder.resolve("old")).resolve("loss.csv"), "1,2");
    java.nio.file.Path missing = folder.resolve("made").resolve("by-panode");
    Gradients memory = gradient("imex-rk2", 0.025, SolverGradientTest.TIMES, Checkpointing.memory(), null);
    for (java.nio.file.Path dir : new java.nio.file.Path[] {folder, missing}) {
      Gradients disk = gradient("imex-rk2", 0.025, SolverGradientTest.TIMES, Checkpointing.disk(dir), null);
      assertEquals(disk.parameters(), memory.parameters(), 1e-12 * Math.max(1, java.util.Arrays.stream(memory.parameters())
          .map(Math::abs).max().orElse(1)));
      assertEquals(Files.readString(model), "a finished run's model");
      assertEquals(Files.readString(nested), "1,2");
      try (var left = Files.list(dir)) {
        assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("panode-trajectory-")), "Panode's folder is removed");
      }
    }
    assertTrue(Files.isDirectory(missing), "a missing folder is made");
  }

  /** With -ts_trajectory_keep_files, disk:DIR's last solve's files stay in Panode's folder inside DIR. */
  @Test
  public void keepFilesKeepsTheDiskTrajectory() throws Exception {
    java.nio.file.Path folder = Files.createTempDirectory("panode-keep");
    var options = Petsc.current().options();
    options.set(null, "ts_trajectory_keep_files", null);
    try {
      gradient("imex-rk2", 0.025, SolverGradientTest.TIMES, Checkpointing.disk(folder), null);
    } finally {
      options.clear(null, "ts_trajectory_keep_files");
    }
    try (var kept = Files.walk(folder)) {
      assertTrue(kept.anyMatch(p -> Files.isRegularFile(p) && p.toString().contains("panode-trajectory-")),
          "the trajectory's files are kept");
    }
  }

  /** The gradient of a batch of 2 from t = 0 through the output times, stored as told. */
  private static Gradients gradient(String method, double step, double[] times, Checkpointing storage, String prefix) {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] weights = SolverGradientTest.lossWeights();
    var config = SolverConfig.builder(Method.parse(method), StepControl.fixed(step)).checkpointing(storage).optionsPrefix(prefix).build();
    try (var solution = Solver.solve(SolverGradientTest.problem(), config, u0, 2, SaveAt.times(times))) {
      return solution.gradient(java.util.Arrays.copyOf(weights, times.length));
    }
  }

  @Test
  public void strideCheckpointingWorksForStepCountsPetscMiscounts() {
    // PETSc alone fails on all of these: 15 steps it counts as ceil(0.15 / 0.01) = 16, and 4, 5 or
    // 10 steps that stride 3 does not divide.
    double[][] timeSets = {{0.05, 0.1, 0.15}, {0.04}, {0.05}, {0.05, 0.1}};
    for (double[] times : timeSets) {
      Gradients full = gradient("imex-rk2", 0.01, times, Checkpointing.memory(), null);
      Gradients strided = gradient("imex-rk2", 0.01, times, Checkpointing.stride(3), null);
      for (int p = 0; p < full.parameters().length; p++) {
        assertEquals(strided.parameters()[p], full.parameters()[p], 1e-12 * Math.max(1, Math.abs(full.parameters()[p])),
            java.util.Arrays.toString(times) + " parameter " + p);
      }
      assertEquals(strided.costs().steps(), full.costs().steps());
    }
  }

  @Test
  public void strideCheckpointingRefusesStepsThatDoNotDivideTheIntervals() {
    var e = expectThrows(IllegalArgumentException.class,
        () -> gradient("imex-rk2", 0.03, new double[] {0.1}, Checkpointing.stride(2), null));
    assertTrue(e.getMessage().contains("divides every output interval"), e.getMessage());
  }

  @Test
  public void petscsOwnStrideFailureIsAnExceptionAndTheJvmGoesOn() {
    // Forced by the (unprefixed) option past Panode's plan: stride 3 over 4 steps overflows PETSc's stack, which
    // PETSc reports as memory corruption; its TS is then left undestroyed instead of crashing.
    long foldersBefore = strideFolders();
    var options = Petsc.current().options();
    options.set(null, "ts_trajectory_stride", "3");
    try {
      var e = expectThrows(PetscException.class,
          () -> gradient("imex-rk2", 0.01, new double[] {0.04}, Checkpointing.stride(3), null));
      assertTrue(e.getMessage().contains("Maximum stack size"), e.getMessage());
    } finally {
      options.clear(null, "ts_trajectory_stride");
    }
    Gradients again = gradient("imex-rk2", 0.01, new double[] {0.04}, Checkpointing.stride(3), null);
    assertEquals(again.costs().steps(), 4);
    assertEquals(strideFolders(), foldersBefore, "stride checkpoint folders are removed, the abandoned TS's too");
  }

  /** Panode's temporary folders for stride checkpoints, and PETSc's default ones in the working directory. */
  private static long strideFolders() {
    try (var tmp = Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        var cwd = Files.list(java.nio.file.Path.of(""))) {
      return tmp.filter(p -> p.getFileName().toString().startsWith("panode-stride-")).count()
          + cwd.filter(p -> p.getFileName().toString().startsWith("TS-data-")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Reproducibility and exact resumption: the same seeds give bit-identical runs, and 3 epochs +
 * checkpoint + 3 epochs in a new trainer equal 6 straight epochs bit for bit. The model trains
 * both terms (a cubic and a learnable diffusion stencil: theta_J and theta_G), with AdamW and a
 * plateau schedule that changes the rate within the run, on 10 samples in batches of 4 (the last
 * one of 2).
 */
public class TrainerTest {
  static final double STEP = 0.05;
  private static TrajectoryDataset data;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  /** 10 samples of the reaction-diffusion system (made once). */
  static TrajectoryDataset data() {
    if (data == null) {
      data = ReactionDiffusion.data(10, 3);
    }
    return data;
  }

  static SplitProblem problem(double start) {
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.8 * ReactionDiffusion.NU,
        1.0 / ReactionDiffusion.D), ReactionDiffusion.D, true);
    return new SplitProblem(new CubicTerm(ReactionDiffusion.D, start, 0, 0, start), stencil);
  }

  static Trainer trainer(Solver ode, long seed) {
    return new Trainer(ode, data(), Loss.mse(), Optimizer.named("adamw", 0.02, ode.problem().parameterCount()), 4, seed)
        .schedule(new PlateauSchedule(0, 0.5, 1e-4, 0.5));
  }

  static Solver ode(SplitProblem problem) {
    return Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(STEP)));
  }

  record Run(List<EpochReport> reports, double[] parameters, double rate) {}

  static Run straight(int epochs) {
    try (var ode = ode(problem(0.1))) {
      var t = trainer(ode, 11);
      var reports = t.train(epochs);
      return new Run(reports, t.parameters().get(), t.optimizer().learningRate());
    }
  }

  @Test
  public void sameSeedsGiveBitIdenticalRuns() {
    Run a = straight(4), b = straight(4);
    for (int e = 0; e < 4; e++) {
      assertEquals(Double.doubleToRawLongBits(b.reports().get(e).loss()), Double.doubleToRawLongBits(a.reports().get(e).loss()));
    }
    assertEquals(b.parameters(), a.parameters(), 0);
    assertTrue(a.reports().get(3).loss() < a.reports().get(0).loss(), "the loss falls");
  }

  @Test
  public void resumingFromACheckpointContinuesExactly() throws IOException {
    Run six = straight(6);
    Path dir = Files.createTempDirectory("panode-ckpt");
    Path file = dir.resolve("run.ckpt");
    List<EpochReport> firstHalf;
    try (var ode = ode(problem(0.1))) {
      var t = trainer(ode, 11);
      firstHalf = t.train(3);
      t.saveCheckpoint(file);
    }
    try (var ode = ode(problem(-0.7))) { // other initial parameters and seed: the checkpoint overrides both
      var t = trainer(ode, 99);
      t.resume(file);
      assertEquals(t.epochsDone(), 3);
      var secondHalf = t.train(3);
      List<EpochReport> resumed = new ArrayList<>(firstHalf);
      resumed.addAll(secondHalf);
      for (int e = 0; e < 6; e++) {
        System.out.printf("epoch %d: straight %.17g lr %.4g, resumed %.17g lr %.4g%n", e + 1, six.reports().get(e).loss(),
            six.reports().get(e).learningRate(), resumed.get(e).loss(), resumed.get(e).learningRate());
        assertEquals(resumed.get(e).epoch(), e + 1);
        assertEquals(Double.doubleToRawLongBits(resumed.get(e).loss()), Double.doubleToRawLongBits(six.reports().get(e).loss()),
            "epoch " + (e + 1));
        assertEquals(resumed.get(e).learningRate(), six.reports().get(e).learningRate(), 0);
      }
      assertEquals(t.parameters().get(), six.parameters(), 0);
      assertEquals(t.optimizer().learningRate(), six.rate(), 0);
      assertTrue(six.reports().get(5).learningRate() < six.reports().get(0).learningRate(), "the schedule acted");
    }
    try (var files = Files.list(dir)) {
      assertEquals(files.toList(), List.of(file), "no temporary files are left");
    }
  }

  /** A checkpoint asked for in the middle of an epoch (here by a listener) is refused; after a whole epoch it is taken. */
  @Test
  public void aCheckpointInTheMiddleOfAnEpochIsRefused() {
    try (var ode = ode(problem(0.1))) {
      boolean[] ask = {true}; // a listener that stops the epoch after its first batch
      var t = trainer(ode, 5).listener(new TrainingListener() {
        @Override
        public void batchFinished(int epoch, int batch, int batches, double loss) {
          if (ask[0]) {
            throw new IllegalStateException("stopped by the listener");
          }
        }

        @Override
        public void epochFinished(EpochReport report) {}
      });
      expectThrows(IllegalStateException.class, t::epoch);
      var e = expectThrows(IllegalStateException.class, t::checkpoint);
      assertTrue(e.getMessage().contains("epoch 1 is under way or failed midway"), e.getMessage());
      ask[0] = false;
      t.epoch();
      assertEquals(t.checkpoint().epoch(), 1);
    }
  }

  @Test
  public void reportsListenersCostsAndEvaluation() {
    try (var ode = ode(problem(0.1))) {
      List<Double> batchLosses = new ArrayList<>();
      List<EpochReport> heard = new ArrayList<>();
      var t = trainer(ode, 5).listener(new TrainingListener() {
        @Override
        public void batchFinished(int epoch, int batch, int batches, double loss) {
          assertEquals(epoch, heard.size() + 1);
          assertEquals(batch, batchLosses.size() % 3 + 1);
          assertEquals(batches, 3);
          batchLosses.add(loss);
        }

        @Override
        public void epochFinished(EpochReport report) {
          heard.add(report);
        }
      });
      double before = t.evaluate(data());
      var reports = t.train(2);
      assertEquals(heard, reports);
      assertEquals(batchLosses.size(), 6);
      var r = reports.get(0);
      assertEquals(r.loss(), (4 * batchLosses.get(0) + 4 * batchLosses.get(1) + 2 * batchLosses.get(2)) / 10, 1e-15);
      assertEquals(r.batches(), 3);
      int steps = (int) Math.round(ReactionDiffusion.TIMES[ReactionDiffusion.TIMES.length - 1] / STEP);
      assertEquals(r.costs().forward().steps(), 3 * steps, "forward steps over the epoch's batches");
      assertEquals(r.costs().adjoint().steps(), 3 * steps, "adjoint steps over the epoch's batches");
      assertEquals(r.costs().forward().explicitEvaluations(), 3 * steps * 2L, "IMEX-RK2: 2 explicit stages per step");
      assertTrue(r.seconds() > 0 && r.costs().forward().seconds() > 0 && r.costs().adjoint().seconds() > 0);
      double[] theta = t.parameters().get();
      double after = t.evaluate(data());
      assertEquals(t.parameters().get(), theta, 0, "evaluation changes no parameter");
      assertTrue(after < before, "evaluation loss " + before + " -> " + after);
      assertEquals(t.bestLoss(), Math.min(reports.get(0).loss(), reports.get(1).loss()));
    }
  }
}

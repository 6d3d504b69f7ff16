package org.panode.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.panode.data.Burgers;
import org.panode.data.KuramotoSivashinsky;
import org.panode.data.NdArray;
import org.panode.experiments.BurgersExperiment;
import org.panode.experiments.Experiment;
import org.panode.experiments.KseExperiment;
import org.panode.experiments.Run;
import org.panode.experiments.Settings;
import org.panode.experiments.Setup;
import org.panode.nn.BlasThreads;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;

/**
 * Trains KSE grid 64 or Burgers grid 512 on small data, data-parallel over however many ranks
 * mpirun started: {@code DataParallelRun kse|burgers EPOCHS BATCH SAMPLES OUT}. Rank 0 prints
 * "loss EPOCH BATCH VALUE" per iteration and "test VALUE" at the end; every rank writes its final
 * state to OUT/checkpoint-RANK.bin (for the test to compare ranks and rank counts).
 */
public final class DataParallelRun {
  public static void main(String[] args) throws Exception {
    String problem = args[0];
    int epochs = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]), samples = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    try (Petsc petsc = Petsc.initialize()) {
      if (System.getenv("DP_NOBLAS") == null) {
        BlasThreads.set(1);
      }
      GradientReduction ranks = GradientReduction.over(Comm.world());
      Experiment experiment = Experiment.named(problem);
      Settings d = experiment.defaults(experiment.grids().getFirst(), "imex-rk2");
      Settings s = new Settings(d.grid(), d.method(), d.step(), epochs, batch, d.learningRate(), d.optimizer(), d.seed(), out);
      Setup full = problem.equals("kse") ? new KseExperiment().setup(s, kseData()) : new BurgersExperiment().setup(s, burgersData());
      Setup setup = new Setup(full.description(), full.problem(), first(full.train(), samples), first(full.test(), samples),
          full.loss(), full.schedule(), full.dropLast(), full.reference(), full.referenceInterval());
      try (Run run = Run.of(s, setup)) {
        Trainer trainer = run.trainer().distributed(ranks);
        if (ranks.rank() == 0) {
          trainer.listener(new TrainingListener() {
            @Override
            public void batchFinished(int epoch, int b, int batches, double loss) {
              System.out.printf(Locale.ROOT, "loss %d %d %.17e%n", epoch, b, loss);
            }

            @Override
            public void epochFinished(EpochReport report) {
              System.out.printf(Locale.ROOT, "epoch %d nfe %d%n", report.epoch(), report.costs().nfe());
            }
          });
        }
        trainer.train(epochs);
        double test = trainer.evaluate(setup.test());
        if (ranks.rank() == 0) {
          System.out.printf(Locale.ROOT, "test %.17e%n", test);
        }
        Files.createDirectories(out);
        trainer.saveCheckpoint(out.resolve("checkpoint-" + ranks.rank() + ".bin"));
      }
    }
  }

  /** A short KSE-64 trajectory, repeated to the length the experiment expects (only the first pairs are used). */
  private static NdArray.Doubles kseData() {
    NdArray.Doubles u = new KuramotoSivashinsky(64, 22, KuramotoSivashinsky.InitialCondition.PERIODIC, 0.01, 20, 0.1, 400)
        .generate().doubles("u");
    int rows = 8011 + 10, n = 64;
    double[] data = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(u.data(), (r % 400) * n, data, r * n, n);
    }
    return new NdArray.Doubles(new int[] {rows, n}, data);
  }

  /** 81 Burgers-512 initial conditions over one interval. */
  private static NdArray.Doubles burgersData() {
    return new Burgers(512, 8e-4, 81, 2, 0.1, 1e-3, 4, 0.5, 1).generate().doubles("u");
  }

  private static TrajectoryDataset first(TrajectoryDataset data, int count) {
    int n = Math.min(count, data.size());
    double[][] u0 = new double[n][];
    double[][][] targets = new double[n][data.times().length][];
    for (int i = 0; i < n; i++) {
      u0[i] = data.initialState(i);
      for (int k = 0; k < data.times().length; k++) {
        targets[i][k] = data.target(i, k);
      }
    }
    return new TrajectoryDataset(data.times(), u0, targets);
  }

  static String describe(double[] values) {
    return Arrays.toString(Arrays.copyOf(values, Math.min(4, values.length)));
  }
}

package org.panode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.panode.experiments.Run;
import org.panode.experiments.Settings;
import org.panode.experiments.Setup;
import org.panode.ode.SolveCosts;
import org.panode.petsc.Petsc;
import org.panode.train.EpochReport;
import org.panode.train.ParameterFile;
import org.panode.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains an experiment's model with progress bars, then writes into the output folder: loss.csv
 * (epoch, wall time, loss, test loss, learning rate, NFE), costs.txt (the cost table of all
 * epochs), model.npy, checkpoint.bin, loss.png (training loss against wall time) and, with a
 * reference trajectory, rollout-true.png / rollout-predicted.png (space-time heat maps).
 */
@Command(name = "train", description = "train the model of a problem (kse, burgers, grand)")
final class TrainCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Option(names = "--target-loss", description = "stop when the training loss is below this")
  Double targetLoss;

  @Option(names = "--test-every", description = "evaluate the test loss every N epochs (default 10)")
  int testEvery = 10;

  @Override
  public Integer call() throws Exception {
    if (GrandTrain.PROBLEM.equalsIgnoreCase(options.problem)) {
      return GrandTrain.train(options); // node classification on Cora: its own loop and outputs
    }
    Settings s = options.settings();
    Path out = Outputs.folder(s.output());
    Setup setup = options.experiment().setup(s);
    System.err.println(setup.description());
    System.err.printf(Locale.ROOT, "%s at step %s, %d epochs, batch %d, %s lr %s, seed %d -> %s%n", s.method(), s.step(),
        s.epochs(), s.batch(), s.optimizer(), s.learningRate(), s.seed(), out);
    List<double[]> rows = new ArrayList<>();
    SolveCosts total = SolveCosts.ZERO;
    double seconds = 0, reachedAt = Double.NaN, testLoss = Double.NaN;
    EpochReport last = null;
    try (Petsc petsc = Petsc.initialize(Main.petscOptions); Run run = Run.of(s, setup);
        ProgressBar bar = new ProgressBarBuilder().setTaskName(options.problem + " " + s.method()).setInitialMax(s.epochs())
            .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(250).build()) {
      run.trainer().listener(new TrainingListener() {
        @Override
        public void batchFinished(int epoch, int batch, int batches, double loss) {
          bar.setExtraMessage(String.format(Locale.ROOT, "batch %d/%d loss %.3e", batch, batches, loss));
        }

        @Override
        public void epochFinished(EpochReport report) {}
      });
      for (int epoch = 1; epoch <= s.epochs(); epoch++) {
        EpochReport report = run.trainer().epoch();
        last = report;
        total = total.plus(report.costs());
        seconds += report.seconds();
        if (epoch % testEvery == 0 || epoch == s.epochs()) {
          testLoss = run.trainer().evaluate(setup.test());
        }
        rows.add(new double[] {epoch, seconds, report.loss(), testLoss, report.learningRate(), total.nfe()});
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3e NFE %,d %.1f s", report.loss(), total.nfe(), seconds));
        if (targetLoss != null && report.loss() < targetLoss && Double.isNaN(reachedAt)) {
          reachedAt = seconds;
          break;
        }
      }
      if (!(rows.getLast()[0] % testEvery == 0)) {
        testLoss = run.trainer().evaluate(setup.test());
        rows.getLast()[3] = testLoss;
      }
      ParameterFile.save(out.resolve("model.npy"), run.trainer().parameters());
      run.trainer().saveCheckpoint(out.resolve("checkpoint.bin"));
      writeCsv(out, rows);
      Outputs.text(out.resolve("costs.txt"), CostTable.text(total));
      Outputs.png(out.resolve("loss.png"), Plots.lossAgainstTime(options.problem + " grid " + s.grid(), List.of(s.method()),
          List.of(column(rows, 1)), List.of(column(rows, 2))));
      if (setup.reference() != null) {
        double[][] predicted = Rollout.of(run.ode(), setup.reference(), setup.referenceInterval());
        Outputs.png(out.resolve("rollout-true.png"), Plots.spaceTime("true", setup.reference(), setup.referenceInterval()));
        Outputs.png(out.resolve("rollout-predicted.png"), Plots.spaceTime("predicted (" + s.method() + ")", predicted,
            setup.referenceInterval()));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("problem", options.problem);
    summary.put("grid", s.grid());
    summary.put("method", s.method());
    summary.put("step", s.step());
    summary.put("epochs", rows.size());
    summary.put("final_loss", last == null ? null : last.loss());
    summary.put("test_loss", testLoss);
    summary.put("seconds", seconds);
    summary.put("seconds_to_target", Double.isNaN(reachedAt) ? null : reachedAt);
    summary.put("nfe", total.nfe());
    summary.put("nfe_per_epoch", rows.isEmpty() ? 0 : total.nfe() / rows.size());
    summary.put("costs", CostTable.json(total));
    summary.put("output", out.toString());
    if (options.json) {
      System.out.println(new ObjectMapper().writeValueAsString(summary));
    } else {
      System.out.printf(Locale.ROOT, "%s: %d epochs in %.1f s, training loss %.3e, test loss %.3e, NFE %,d%s%nwrote %s%n",
          s.method(), rows.size(), seconds, last == null ? Double.NaN : last.loss(), testLoss, total.nfe(),
          Double.isNaN(reachedAt) ? "" : String.format(Locale.ROOT, ", loss < %.1e after %.1f s", targetLoss, reachedAt), out);
    }
    return 0;
  }

  private static void writeCsv(Path out, List<double[]> rows) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("epoch,seconds,loss,test_loss,learning_rate,nfe\n");
    for (double[] r : rows) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.9e,%.9e,%.6e,%d%n", (long) r[0], r[1], r[2], r[3], r[4], (long) r[5]));
    }
    Outputs.text(out.resolve("loss.csv"), csv.toString());
  }

  private static double[] column(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }
}

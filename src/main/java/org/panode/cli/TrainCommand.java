package org.panode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.panode.experiments.ChemistryExperiment;
import org.panode.experiments.Experiment;
import org.panode.experiments.Run;
import org.panode.experiments.Settings;
import org.panode.experiments.Setup;
import org.panode.train.ParameterFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains an experiment's model with progress bars, then writes into the output folder: loss.csv
 * (epoch, wall time, loss, test loss, learning rate, NFE), costs.txt (the cost table of all
 * epochs), model.npy, checkpoint.bin, loss.png (training loss against wall time) and, with a
 * reference trajectory, rollout-true.png / rollout-predicted.png (space-time heat maps); for
 * chemistry, species.png (predicted vs true species against time) and the per-species errors. With
 * {@code --compare}, the other methods are trained the same way from the same initial parameters
 * (loss-METHOD.csv each) and drawn on the same loss.png; the summary gives the ratios of their
 * times to the target loss to the first method's.
 *
 * <p>Under {@code mpirun -n N} every rank trains its share of each mini-batch (data-parallel, the
 * same model as one process); rank 0 alone draws progress and writes the outputs, after the last
 * reduction. Each rank uses one BLAS thread unless {@code --blas-threads} says otherwise.
 */
@Command(name = "train", description = "train the model of a problem (kse, burgers, rober, pollu, grand)")
final class TrainCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Option(names = "--target-loss", description = "stop when the training loss is below this")
  Double targetLoss;

  @Option(names = "--time-limit", description = "stop each method after this many seconds of training")
  double timeLimit = Double.POSITIVE_INFINITY;

  @Option(names = "--compare", split = ",", description = "also train these methods at their default steps (e.g. dopri5,cn)")
  List<String> compare = List.of();

  @Option(names = "--resume", description = "continue from a checkpoint.bin of an earlier run of the same set-up (then --epochs more)")
  Path resume;

  @Option(names = "--test-every", description = "evaluate the test loss every N epochs (default 10)")
  int testEvery = 10;

  @Option(names = "--blas-threads", description = "OpenBLAS threads per process (default: 1 under mpirun, else OpenBLAS's own)")
  Integer blasThreads;

  @Override
  public Integer call() throws Exception {
    if (blasThreads != null && blasThreads < 1) {
      throw new IllegalArgumentException("--blas-threads must be >= 1, got " + blasThreads);
    }
    Ranks ranks = Ranks.start(blasThreads);
    if (GrandTrain.PROBLEM.equalsIgnoreCase(options.problem)) {
      if (ranks.size() > 1) {
        throw new IllegalArgumentException("grand trains one graph in full batch on one rank; run it without mpirun"
            + " (a partitioned graph needs distributed state, not yet here)");
      }
      return GrandTrain.train(options); // node classification on Cora: its own loop and outputs
    }
    Settings first = options.settings();
    Experiment experiment = options.experiment();
    Path out = ranks.leader() ? Outputs.folder(first.output()) : first.output();
    List<Settings> all = new ArrayList<>(List.of(first));
    for (String method : compare) {
      Settings d = experiment.defaults(first.grid(), method);
      all.add(new Settings(first.grid(), method, d.step(), first.epochs(), first.batch(), first.learningRate(),
          first.optimizer(), first.seed(), first.output()));
    }
    List<MethodRun> runs = new ArrayList<>();
    for (Settings s : all) {
      Setup setup = ranks.leaderFirst(() -> experiment.setup(s)); // rank 0 generates and caches the data
      if (runs.isEmpty() && ranks.leader()) {
        System.err.println(setup.description());
      }
      if (ranks.leader()) {
        System.err.printf(Locale.ROOT, "%s at step %s, %d epochs, batch %d, %s lr %s, seed %d, %s -> %s%n", s.method(), s.step(),
            s.epochs(), s.batch(), s.optimizer(), s.learningRate(), s.seed(), ranks.describe(), out);
      }
      try (Run run = Run.of(s, setup)) {
        run.trainer().distributed(ranks.reduction);
        if (resume != null && runs.isEmpty()) {
          run.trainer().resume(resume); // every rank reads it
          if (ranks.leader()) {
            System.err.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, run.trainer().epochsDone());
          }
        }
        MethodRun result = new MethodRun(s).train(run, setup, options.problem + " " + s.method(), targetLoss, timeLimit,
            testEvery, ranks.leader());
        runs.add(result);
        if (ranks.leader()) {
          writeMethodOutputs(out, run, setup, result, runs.size() == 1);
        }
      }
    }
    if (!ranks.leader()) {
      return 0;
    }
    Outputs.png(out.resolve("loss.png"), Plots.lossAgainstTime(options.problem + " grid " + first.grid(),
        runs.stream().map(r -> r.settings.method() + " h=" + r.settings.step()).toList(),
        runs.stream().map(r -> r.column(1)).toList(), runs.stream().map(r -> r.column(2)).toList()));
    report(runs, out, ranks);
    return 0;
  }

  /** The first method's files are loss.csv, costs.txt, model.npy...; the compared ones' carry the method name. */
  private void writeMethodOutputs(Path out, Run run, Setup setup, MethodRun r, boolean primary) throws Exception {
    String suffix = primary ? "" : "-" + r.settings.method();
    Outputs.text(out.resolve("loss" + suffix + ".csv"), r.csv());
    Outputs.text(out.resolve("costs" + suffix + ".txt"), CostTable.text(r.costs));
    if (!primary) {
      return;
    }
    ParameterFile.save(out.resolve("model.npy"), run.trainer().parameters());
    run.trainer().saveCheckpoint(out.resolve("checkpoint.bin"));
    if (setup.species() != null) {
      var train = setup.train();
      double[][] predicted = run.ode().solve(train.initialState(0), 1, 0, train.times(), false).states();
      double[][] truth = new double[train.times().length][];
      for (int k = 0; k < truth.length; k++) {
        truth[k] = train.target(0, k);
      }
      r.speciesErrors = ChemistryExperiment.errors(predicted, truth, setup.species().scale());
      Outputs.png(out.resolve("species.png"), Plots.species(options.problem, setup.species().names(),
          setup.species().physicalTimes(), truth, predicted, setup.species().logTime()), 4);
    }
    if (setup.reference() != null) {
      double[][] predicted = Rollout.of(run.ode(), setup.reference(), setup.referenceInterval());
      Outputs.png(out.resolve("rollout-true.png"), Plots.spaceTime("true", setup.reference(), setup.referenceInterval()));
      Outputs.png(out.resolve("rollout-predicted.png"), Plots.spaceTime("predicted (" + r.settings.method() + ")", predicted,
          setup.referenceInterval()));
    }
  }

  private void report(List<MethodRun> runs, Path out, Ranks ranks) throws Exception {
    MethodRun first = runs.getFirst();
    List<Map<String, Object>> methods = new ArrayList<>();
    for (MethodRun r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", r.settings.method());
      m.put("step", r.settings.step());
      m.put("epochs", r.rows.size());
      m.put("final_loss", r.last == null ? null : r.last.loss());
      m.put("test_loss", r.testLoss);
      m.put("seconds", r.seconds);
      m.put("seconds_to_target", Double.isNaN(r.reachedTarget) ? null : r.reachedTarget);
      m.put("stopped_by", r.stopReason);
      m.put("nfe", r.costs.nfe());
      m.put("nfe_per_epoch", r.rows.isEmpty() ? 0 : r.costs.nfe() / r.rows.size());
      m.put("seconds_per_epoch", r.rows.isEmpty() ? null : r.seconds / r.rows.size());
      if (r != first) {
        m.put("time_ratio_to_target", ratioToTarget(r, first));
        m.put("time_per_epoch_ratio", r.seconds / r.rows.size() / (first.seconds / first.rows.size()));
      }
      if (r.speciesErrors != null) {
        m.put("species_max_error_over_range", r.speciesErrors);
      }
      m.put("costs", CostTable.json(r.costs));
      methods.add(m);
    }
    Map<String, Object> summary = new LinkedHashMap<>(methods.getFirst());
    summary.remove("costs");
    summary.put("problem", options.problem);
    summary.put("grid", first.settings.grid());
    summary.put("ranks", ranks.size());
    summary.put("blas_threads", ranks.blasThreads > 0 ? ranks.blasThreads : null);
    summary.put("costs", CostTable.json(first.costs));
    if (runs.size() > 1) {
      summary.put("compared", methods.subList(1, methods.size()));
    }
    summary.put("output", out.toString());
    if (options.json) {
      System.out.println(new ObjectMapper().writeValueAsString(summary));
      return;
    }
    System.out.println(ranks.describe());
    for (MethodRun r : runs) {
      System.out.printf(Locale.ROOT, "%-9s h=%-6s %5d epochs in %7.1f s (%.3f s/epoch), loss %.3e, test loss %.3e, NFE/epoch %,d, %s%s%n",
          r.settings.method(), r.settings.step(), r.rows.size(), r.seconds, r.seconds / Math.max(1, r.rows.size()),
          r.last == null ? Double.NaN : r.last.loss(), r.testLoss, r.costs.nfe() / Math.max(1, r.rows.size()), r.stopReason,
          r == first ? "" : ", time to target " + ratioText(ratioToTarget(r, first)));
      if (r.speciesErrors != null) {
        System.out.println("max |predicted - true| / range per species: " + java.util.Arrays.toString(r.speciesErrors));
      }
    }
    System.out.println("wrote " + out);
  }

  /** r's time to the target over first's; a lower bound "> x" when r stopped before reaching it. */
  private static Object ratioToTarget(MethodRun r, MethodRun first) {
    if (Double.isNaN(first.reachedTarget)) {
      return null;
    }
    if (!Double.isNaN(r.reachedTarget)) {
      return r.reachedTarget / first.reachedTarget;
    }
    return String.format(Locale.ROOT, "> %.1f", r.seconds / first.reachedTarget);
  }

  private static String ratioText(Object ratio) {
    if (ratio == null) {
      return "n/a (first method did not reach the target)";
    }
    return ratio instanceof Double d ? String.format(Locale.ROOT, "%.1fx the first's", d) : ratio + "x the first's (not reached)";
  }
}

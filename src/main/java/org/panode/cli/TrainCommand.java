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
 * reduction. Each rank uses one thread unless {@code --threads} or {@code --blas-threads} says otherwise.
 */
@Command(name = "train", description = "train the model of a problem (kse, burgers, rober, pollu, grand)")
final class TrainCommand implements Callable<Integer> {
  /** The periodic domains of the PDE problems (KseExperiment: L = 22; BurgersExperiment: [0, 1)). */
  private static final Map<String, Double> DOMAIN_LENGTHS = Map.of("kse", 22.0, "burgers", 1.0);

  @Mixin
  RunOptions options;

  @Option(names = "--target-loss", description = "stop when the training loss is below this")
  Double targetLoss;

  @Option(names = "--time-limit", paramLabel = "S", description = "stop each method after S seconds of training in this"
      + " invocation (a resumed run trains S more)")
  double timeLimit = Double.POSITIVE_INFINITY;

  @Option(names = "--compare", split = ",", description = "also train these methods at their default steps (e.g. dopri5,cn)")
  List<String> compare = List.of();

  @Option(names = "--resume", paramLabel = "RUN", description = "continue a run from its folder (or a checkpoint.bin):"
      + " its settings, loss history and folder; --epochs more, or without --epochs the rest of its epochs")
  Path resume;

  @Option(names = "--overwrite", description = "let --out name a folder that holds an earlier run, and replace its results"
      + " when this run has finished (it writes into NAME.overwriting until then; a failed run leaves them as they were)")
  boolean overwrite;

  @Option(names = "--checkpoint-every", paramLabel = "auto|N|TIME", description = "write checkpoint.bin every N epochs,"
      + " after an epoch once TIME (90s, 5m, 1h) has passed since the last one, or (auto, the default) after every epoch"
      + " unless that would cost more than 2 %% of the run")
  String checkpointEvery = CheckpointSchedule.DEFAULT;

  @Option(names = "--graph", paramLabel = "NAME|PATH", description = "grand: the citation graph, cora (default), citeseer,"
      + " pubmed or the path of an .npz in the gnn-benchmark layout")
  String graph;

  @Option(names = "--checkpointing", paramLabel = "auto|memory|stride:K|disk:DIR", description = "how the forward"
      + " trajectory is kept for the adjoint: auto (default: in memory when it and the network's remembered passes fit"
      + " 1 GiB, else a checkpoint every ~sqrt(steps) steps), memory, stride:K (a checkpoint every K steps, the rest"
      + " recomputed) or disk:DIR (every step in files in a new folder inside DIR, removed after); all give the same gradient")
  String checkpointing = "auto";

  @Option(names = "--test-every", description = "evaluate the test loss every N epochs (default 10)")
  int testEvery = 10;

  @Option(names = "--threads", description = "compute threads per process: each network call's batch is split over"
      + " them, BLAS at 1 thread each (default: 1 under mpirun, else PANODE_THREADS or the cores)")
  Integer threads;

  @Option(names = "--blas-threads", description = "use OpenBLAS's own pool of N threads instead of the batch threads"
      + " (which are then 1)")
  Integer blasThreads;

  /** --lr given with --resume: replaces the checkpoint's learning rate (null: the checkpoint's goes on). */
  private Double rateAfterResume;

  /** The trainer's state for checkpoint.bin, reused from one epoch's checkpoint to the next. */
  private double[] checkpointParameters;
  private double[] checkpointState;

  @Override
  public Integer call() throws Exception {
    options.checkCommon();
    checkOwnOptions();
    org.panode.ode.Checkpointing storage = org.panode.ode.Checkpointing.parse(checkpointing);
    CheckpointSchedule schedule = CheckpointSchedule.parse(checkpointEvery);
    if (blasThreads != null && blasThreads < 1) {
      throw new IllegalArgumentException("--blas-threads must be >= 1, got " + blasThreads);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    if (threads != null && blasThreads != null) {
      throw new IllegalArgumentException("give --threads (Panode's batch threads) or --blas-threads (OpenBLAS's), not both");
    }
    Ranks ranks = Ranks.start(threads, blasThreads);
    if (GrandTrain.PROBLEM.equalsIgnoreCase(options.problem)) {
      if (ranks.size() > 1) {
        throw new IllegalArgumentException("grand trains one graph in full batch on one rank; run it without mpirun"
            + " (a partitioned graph needs distributed state, not yet here)");
      }
      if (resume != null || !compare.isEmpty() || !(storage instanceof org.panode.ode.Checkpointing.Auto)) {
        throw new IllegalArgumentException("grand does not take --resume, --compare or --checkpointing");
      }
      return GrandTrain.train(options, overwrite, graph); // node classification: its own loop and outputs
    }
    if (graph != null) {
      throw new IllegalArgumentException("--graph is for grand; " + options.problem + " does not take it");
    }
    if (resume != null && !compare.isEmpty()) {
      throw new IllegalArgumentException("--compare does not go with --resume: the compared methods would start again,"
          + " for the remaining epochs only, and replace their complete results; resume the run alone and compare in a new run");
    }
    Experiment experiment = options.experiment();
    RunCheckpoint resumed = resume == null ? null : RunCheckpoint.read(RunCheckpoint.file(resume));
    int epochsBefore = resumed == null ? 0 : resumed.training().epoch();
    rateAfterResume = resumed == null ? null : options.learningRate; // --lr given with --resume: the rate from now on
    Settings first = settingsFor(resumed);
    for (String method : compare) {
      org.panode.ode.Method.parse(method);
    }
    Path resumedFolder = resume == null ? null : RunCheckpoint.file(resume).toAbsolutePath().getParent();
    // Rank 0 alone chooses (and may refuse) the folder and writes into it.
    try (RunTarget target = ranks.leader() ? RunTarget.claim(options.output, first.output(), overwrite, resumedFolder)
        : RunTarget.unclaimed(first.output())) {
      trainAndReport(experiment, first, resumed, epochsBefore, schedule, target, storage, ranks);
    }
    return 0;
  }

  /** Trains every method into the target, then draws, finishes the target (a staging folder takes its place) and reports. */
  private void trainAndReport(Experiment experiment, Settings first, RunCheckpoint resumed, int epochsBefore,
      CheckpointSchedule schedule, RunTarget target, org.panode.ode.Checkpointing storage, Ranks ranks) throws Exception {
    Path out = target.out(), writeTo = target.writeTo();
    List<Settings> all = new ArrayList<>(List.of(first));
    for (String method : compare) {
      Settings d = experiment.defaults(first.grid(), method);
      all.add(new Settings(first.grid(), method, d.step(), first.epochs(), first.batch(), first.learningRate(),
          first.optimizer(), first.seed(), out));
    }
    List<MethodRun> runs = new ArrayList<>();
    try (ProblemOptions applied = ProblemOptions.apply(options.problem)) {
      train(experiment, all, resumed, epochsBefore, schedule, writeTo, runs, storage, ranks);
    }
    if (!ranks.leader()) {
      return;
    }
    List<MethodRun> curves = new ArrayList<>(runs);
    if (resumed != null) {
      curves.addAll(comparedBefore(experiment, first, writeTo)); // a resumed run's plot keeps the methods compared with it
    }
    Outputs.png(writeTo.resolve("loss.png"), Plots.lossAgainstTime(options.problem + " grid " + first.grid(), curves,
        targetLoss));
    target.finish();
    report(runs, out, ranks);
  }

  /** The histories of the methods compared in an earlier invocation on this folder, from their loss-METHOD.csv. */
  private static List<MethodRun> comparedBefore(Experiment experiment, Settings first, Path out) throws java.io.IOException {
    List<MethodRun> compared = new ArrayList<>();
    try (var files = java.nio.file.Files.newDirectoryStream(out, "loss-*.csv")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String method = name.substring("loss-".length(), name.length() - ".csv".length());
        try {
          MethodRun r = new MethodRun(new Settings(first.grid(), method, experiment.defaults(first.grid(), method).step(),
              first.epochs(), first.batch(), first.learningRate(), first.optimizer(), first.seed(), out));
          List<String> lines = java.nio.file.Files.readAllLines(file);
          for (String line : lines.subList(1, lines.size())) {
            double[] row = java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray();
            if (row.length != 6) {
              throw new IllegalArgumentException("a row of " + row.length + " values, not 6");
            }
            r.rows.add(row);
          }
          compared.add(r);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // not a method's history: left out of the plot
          System.err.println("panode: warning: " + file + " is left out of loss.png: " + e.getMessage());
        }
      }
    }
    return compared;
  }

  /** Trains each method in turn, writing its outputs (the first one's checkpoints as scheduled). */
  private void train(Experiment experiment, List<Settings> all, RunCheckpoint resumed, int epochsBefore,
      CheckpointSchedule schedule, Path out, List<MethodRun> runs, org.panode.ode.Checkpointing storage, Ranks ranks)
      throws Exception {
    boolean leader = ranks.leader();
    for (Settings s : all) {
      Setup setup = ranks.leaderFirst(() -> experiment.setup(s)); // rank 0 generates and caches the data
      boolean primary = runs.isEmpty();
      if (primary && leader) {
        System.err.println(setup.description());
      }
      if (leader) {
        System.err.printf(Locale.ROOT, "%s at step %s, %d epochs, batch %d, %s lr %s, seed %d, %s -> %s%n", s.method(), s.step(),
            s.epochs(), s.batch(), s.optimizer(), s.learningRate(), s.seed(), ranks.describe(), out);
      }
      try (Run run = Run.of(s, setup, storage)) {
        run.trainer().distributed(ranks.reduction);
        MethodRun result = new MethodRun(s);
        if (resumed != null && primary) {
          run.trainer().resume(resumed.training()); // every rank reads it
          result.continuing(resumed);
          if (leader) {
            System.err.printf(Locale.ROOT, "resumed from %s after epoch %d%n", RunCheckpoint.file(resume), epochsBefore);
          }
          double saved = run.trainer().optimizer().learningRate();
          if (rateAfterResume != null && rateAfterResume != saved) {
            run.trainer().optimizer().learningRate(rateAfterResume);
            if (leader) {
              System.err.printf(Locale.ROOT, "learning rate %s from now on (the checkpoint's was %s)%n", rateAfterResume, saved);
            }
          }
        }
        if (leader) {
          Outputs.folder(out);
        }
        Settings planned = new Settings(s.grid(), s.method(), s.step(), epochsBefore + s.epochs(), s.batch(),
            s.learningRate(), s.optimizer(), s.seed(), out);
        long[] lastWrite = {System.nanoTime(), 0}; // when the last write ended, how long it took (ns)
        MethodRun.EpochHook hook = !primary || !leader ? r -> {} : r -> {
          long now = System.nanoTime();
          if (schedule.due(r.last.epoch(), (now - lastWrite[0]) / 1e9, lastWrite[1] / 1e9)) {
            checkpoint(out, run, r, planned);
            lastWrite[0] = System.nanoTime();
            lastWrite[1] = lastWrite[0] - now;
          }
        };
        result.train(run, setup, options.problem + " " + s.method(), targetLoss, timeLimit, testEvery, hook, leader);
        runs.add(result);
        if (leader) {
          writeMethodOutputs(out, run, setup, result, primary, planned);
        }
      }
    }
  }

  private void checkOwnOptions() {
    if (targetLoss != null && !(targetLoss > 0)) {
      throw new IllegalArgumentException("--target-loss must be a positive number, not " + targetLoss);
    }
    if (!(timeLimit > 0)) {
      throw new IllegalArgumentException("--time-limit must be a positive number of seconds, not " + timeLimit);
    }
    if (testEvery < 1) {
      throw new IllegalArgumentException("--test-every must be at least 1, not " + testEvery);
    }
  }

  /** The options given, the resumed run's settings for those not given, the problem's defaults for the rest. */
  private Settings settingsFor(RunCheckpoint resumed) {
    if (resumed == null || resumed.settings() == null) {
      return options.settings();
    }
    if (!resumed.problem().equals(options.problem)) {
      throw new IllegalArgumentException("--resume " + resume + " is a run of " + resumed.problem() + ", not " + options.problem);
    }
    Settings r = resumed.settings();
    if (options.seed != null && options.seed != r.seed()) {
      throw new IllegalArgumentException("--seed " + options.seed + ": the run in " + resume + " was made with seed " + r.seed()
          + ", which chose its data and initial model; a resumed run keeps it (start a new run for another seed)");
    }
    if (options.epochs == null) {
      int left = r.epochs() - resumed.training().epoch();
      if (left < 1) {
        throw new IllegalArgumentException("the run in " + resume + " has done all its " + r.epochs()
            + " epochs; --epochs N trains N more");
      }
      options.epochs = left;
    }
    if (options.method == null) {
      options.method = r.method();
      options.step = options.step != null ? options.step : r.step();
    }
    options.grid = options.grid != null ? options.grid : r.grid();
    options.batch = options.batch != null ? options.batch : r.batch();
    options.learningRate = options.learningRate != null ? options.learningRate : r.learningRate();
    options.optimizer = options.optimizer != null ? options.optimizer : r.optimizer();
    options.seed = options.seed != null ? options.seed : r.seed();
    return options.settings();
  }

  /**
   * checkpoint.bin (trainer state, settings, history) and loss.csv of the epochs so far, each
   * atomically; the trainer's state goes through arrays kept from one epoch's checkpoint to the next.
   */
  private void checkpoint(Path out, Run run, MethodRun r, Settings planned) throws java.io.IOException {
    var trainer = run.trainer();
    if (checkpointParameters == null || checkpointParameters.length != trainer.parameters().count()) {
      checkpointParameters = new double[trainer.parameters().count()];
    }
    if (checkpointState == null || checkpointState.length != trainer.optimizer().stateSize()) {
      checkpointState = new double[trainer.optimizer().stateSize()];
    }
    new RunCheckpoint(options.problem, planned, r.rows, r.seconds, r.testLoss, r.reachedTarget, r.reachedEpoch, r.costs,
        trainer.checkpoint(checkpointParameters, checkpointState)).write(out.resolve(RunCheckpoint.FILE));
    Outputs.text(out.resolve("loss.csv"), r.csv());
  }

  /** The first method's files are loss.csv, costs.txt, model.npy...; the compared ones' carry the method name. */
  private void writeMethodOutputs(Path out, Run run, Setup setup, MethodRun r, boolean primary, Settings planned)
      throws Exception {
    String suffix = primary ? "" : "-" + r.settings.method();
    Outputs.text(out.resolve("loss" + suffix + ".csv"), r.csv());
    Outputs.text(out.resolve("costs" + suffix + ".txt"), CostTable.text(r.costs));
    if (!primary) {
      return;
    }
    ParameterFile.save(out.resolve("model.npy"), run.trainer().parameters());
    checkpoint(out, run, r, planned);
    try {
      pictures(out, run, setup, r);
    } catch (org.panode.solve.SolutionDivergedException | org.panode.petsc.PetscException e) {
      // an undertrained model may blow up over a long rollout; the run's results stand without its pictures
      System.err.println("panode: warning: no rollout pictures: the trained model's rollout failed: " + e.getMessage());
    }
  }

  /** species.png (chemistry) or the rollout heat maps (with a reference trajectory). */
  private void pictures(Path out, Run run, Setup setup, MethodRun r) throws Exception {
    if (setup.species() != null) {
      var train = setup.train();
      double[][] predicted;
      try (var solution = run.solver().solve(train.initialState(0), 1, org.panode.ode.SaveAt.times(train.times()))) {
        predicted = solution.states();
      }
      double[][] truth = new double[train.times().length][];
      for (int k = 0; k < truth.length; k++) {
        truth[k] = train.target(0, k);
      }
      r.speciesErrors = ChemistryExperiment.errors(predicted, truth, setup.species().scale());
      Outputs.png(out.resolve("species.png"), Plots.species(options.problem, setup.species().names(),
          setup.species().physicalTimes(), truth, predicted, setup.species().logTime(),
          options.problem.startsWith("pollu") ? "t (min)" : "t (s)"), 4);
    }
    if (setup.reference() != null) {
      double[][] predicted = Rollout.of(run.solver(), setup.reference(), setup.referenceInterval());
      double length = DOMAIN_LENGTHS.getOrDefault(options.problem, (double) setup.dimension());
      SpaceTimeImage.write(out.resolve("rollout.png"), String.format(Locale.ROOT,
          "%s grid %d, %s h=%s after %d epochs: rolled out from a test state", options.problem, r.settings.grid(),
          r.settings.method(), r.settings.step(), r.rows.size()), setup.reference(), predicted, setup.referenceInterval(),
          length, DOMAIN_LENGTHS.containsKey(options.problem) ? "x (periodic on [0, " + SpaceTimeImage.format(length,
              java.util.List.of()) + "))" : "grid point", "t");
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
      m.put("target_loss", targetLoss);
      m.put("seconds_to_target", Double.isNaN(r.reachedTarget) ? null : r.reachedTarget);
      m.put("epoch_target_reached", r.reachedEpoch == 0 ? null : r.reachedEpoch);
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
    summary.put("threads", ranks.threads);
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
      System.out.printf(Locale.ROOT, "%-9s h=%-6.4g %5d epochs in %7.1f s (%.3f s/epoch), loss %.3e, test loss %.3e, NFE/epoch %,d, %s%s%n",
          r.settings.method(), r.settings.step(), r.rows.size(), r.seconds, r.seconds / Math.max(1, r.rows.size()),
          r.last == null ? Double.NaN : r.last.loss(), r.testLoss, r.costs.nfe() / Math.max(1, r.rows.size()), r.stopReason,
          targetText(r) + (r == first ? "" : ", time to target " + ratioText(ratioToTarget(r, first))));
      if (r.speciesErrors != null) {
        System.out.println("max |predicted - true| / range per species: " + java.util.Arrays.toString(r.speciesErrors));
      }
    }
    System.out.println("wrote " + out);
  }

  /** When the run first got below the target, if one was given. */
  private String targetText(MethodRun r) {
    if (targetLoss == null) {
      return "";
    }
    return r.reachedEpoch > 0 ? String.format(Locale.ROOT, ", target %.1e first reached at epoch %d (%.1f s)", targetLoss,
        r.reachedEpoch, r.reachedTarget) : String.format(Locale.ROOT, ", target %.1e not reached", targetLoss);
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

package org.panode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.panode.data.CitationGraph;
import org.panode.data.NodeSplit;
import org.panode.grand.GrandConfig;
import org.panode.grand.GrandTraining;
import org.panode.ode.SolveCosts;

/**
 * {@code ./panode train grand [--graph NAME|PATH]}: GRAND on a citation graph, Cora by default
 * (node classification, not a trajectory problem, so it has its own loop; Cora's hyperparameters
 * for every graph). Uses --method, --step, --epochs, --lr, --seed, --out, --json of the shared
 * options; --grid and --batch do not apply and --optimizer must be adamax (GRAND's). Writes
 * accuracy.csv (epoch, seconds, loss, train/val/test accuracy, rate, NFE), accuracy.png (test
 * accuracy against training wall time) and a summary line or JSON.
 */
final class GrandTrain {
  static final String PROBLEM = "grand";

  private GrandTrain() {}

  /** The citation graphs known by name, gnn-benchmark files NAME.npz in shared/data/graphs or $PANODE_GRAPHS. */
  static final List<String> KNOWN_GRAPHS = List.of("cora", "citeseer", "pubmed");

  /**
   * The file of {@code --graph}: a known name (default cora) or a path to a .npz in the same
   * layout; a clear error naming the known graphs otherwise.
   */
  static Path graphFile(String graph) {
    String g = graph == null ? "cora" : graph.strip();
    if (g.endsWith(".npz") || g.contains("/")) {
      Path file = Path.of(g);
      if (!java.nio.file.Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--graph " + g + ": no such file");
      }
      return file;
    }
    String name = g.toLowerCase(java.util.Locale.ROOT);
    if (!KNOWN_GRAPHS.contains(name)) {
      throw new IllegalArgumentException("unknown graph '" + g + "'; known: " + String.join(", ", KNOWN_GRAPHS)
          + " (NAME.npz in shared/data/graphs or $PANODE_GRAPHS), or the path of an .npz in the same layout");
    }
    try {
      Path file = CitationGraph.locate(name + ".npz");
      if (java.nio.file.Files.isRegularFile(file)) {
        return file;
      }
    } catch (java.io.IOException e) {
      // reported below
    }
    throw new IllegalArgumentException("graph " + name + ": no " + name + ".npz in shared/data/graphs of this or a parent"
        + " folder, nor in $PANODE_GRAPHS; put it there (gnn-benchmark layout) or give --graph PATH");
  }

  /** The graph's name for titles and folders: the known name, or the file name without .npz. */
  static String graphName(Path file) {
    return file.getFileName().toString().replaceFirst("\\.npz$", "");
  }

  /**
   * The Planetoid split (Yang et al. 2016) for the graph's class count: 20 labelled training nodes
   * per class (Cora, 7 classes: 140; CiteSeer, 6: 120; PubMed, 3: 60), 500 validation and 1000 test
   * nodes from the rest, drawn with the seed.
   */
  static NodeSplit split(CitationGraph graph, long seed) {
    try {
      return NodeSplit.planetoid(graph.labels(), graph.classes(), 20, 500, 1000, seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the Planetoid split (20 training nodes per class, 500 validation, 1000 test) does"
          + " not fit this graph of " + graph.nodes() + " nodes in " + graph.classes() + " classes: " + e.getMessage(), e);
    }
  }

  static int train(RunOptions options, boolean overwrite, String graphOption) throws Exception {
    if (options.grid != null || options.batch != null) {
      throw new IllegalArgumentException("grand trains full-batch on the whole graph: --grid and --batch do not apply");
    }
    if (options.optimizer != null && !options.optimizer.equalsIgnoreCase("adamax")) {
      throw new IllegalArgumentException("grand trains with adamax (GRAND's optimizer), not " + options.optimizer);
    }
    GrandConfig base = GrandConfig.cora();
    String method = options.method != null ? options.method : base.method();
    double step = options.step != null ? options.step : defaultStep(method);
    long seed = options.seed != null ? options.seed : base.seed();
    GrandConfig config = base.withRun(method, step, options.epochs != null ? options.epochs : base.epochs(),
        options.learningRate != null ? options.learningRate : base.learningRate(), seed);
    Path file = graphFile(graphOption);
    String name = graphName(file);
    try (RunTarget target = RunTarget.claim(options.output, Path.of("runs", "grand-" + name + "-" + method), overwrite, null)) {
      return trainInto(target, options, config, file, name, seed);
    }
  }

  /** Trains, writing into the target, which is finished (a staging folder put in place) before the summary. */
  private static int trainInto(RunTarget target, RunOptions options, GrandConfig config, Path file, String name, long seed)
      throws Exception {
    Path out = target.writeTo();
    CitationGraph graph = CitationGraph.read(file);
    NodeSplit split = split(graph, seed);
    System.err.printf(Locale.ROOT, "GRAND on %s (%s): %d nodes, %d features, %d classes, %d edges + self-loops;"
        + " split seed %d: %d train, %d val, %d test%n", name, file, graph.nodes(), graph.featureCount(), graph.classes(),
        graph.edges(), seed, split.train().length, split.validation().length, split.test().length);
    System.err.printf(Locale.ROOT, "%s at step %s to T = %.2f, %d epochs, adamax lr %s, hidden %d, %d heads -> %s%n",
        config.method(), config.step(), config.time(), config.epochs(), config.learningRate(), config.hidden(),
        config.heads(), out);
    List<GrandTraining.Epoch> rows = new ArrayList<>();
    RunOptions.petsc();
    Outputs.folder(out);
    try (GrandTraining training = new GrandTraining(graph, split, config);
        ProgressBar bar = Progress.bar("grand", config.epochs())) {
      for (int e = 0; e < config.epochs(); e++) {
        GrandTraining.Epoch epoch = training.epoch();
        rows.add(epoch);
        bar.step();
        // short enough for 80 columns: the accuracies first
        bar.setExtraMessage(String.format(Locale.ROOT, "val %.1f%% test %.1f%% loss %.3f", 100 * epoch.validationAccuracy(),
            100 * epoch.testAccuracy(), epoch.loss()));
      }
      writeCsv(out, rows);
      if (!rows.isEmpty()) {
        Outputs.png(out.resolve("accuracy.png"), chart("GRAND on " + name + ", " + config.method() + " step " + config.step(), rows,
            training.bestValidation()));
        Outputs.text(out.resolve("costs.txt"), CostTable.text(rows.getLast().totalCosts()));
      }
      target.finish();
      summarize(options, config, name, target.out(), rows, training.bestValidation());
    }
    return 0;
  }

  /** The paper's steps: 1 for IMEX and implicit methods, 0.005 for explicit ones. */
  static double defaultStep(String method) {
    return org.panode.ode.Method.parse(method).kind() == org.panode.ode.Method.Kind.EXPLICIT ? 0.005 : 1.0;
  }

  private static void summarize(RunOptions options, GrandConfig config, String name, Path out, List<GrandTraining.Epoch> rows,
      GrandTraining.Epoch best) throws Exception {
    GrandTraining.Epoch last = rows.isEmpty() ? null : rows.getLast();
    SolveCosts total = last == null ? SolveCosts.ZERO : last.totalCosts();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("problem", PROBLEM);
    summary.put("dataset", name);
    summary.put("method", config.method());
    summary.put("step", config.step());
    summary.put("epochs", rows.size());
    summary.put("final_loss", last == null ? null : last.loss());
    summary.put("train_accuracy", last == null ? null : last.trainAccuracy());
    summary.put("validation_accuracy", last == null ? null : last.validationAccuracy());
    summary.put("test_accuracy", last == null ? null : last.testAccuracy());
    summary.put("best_validation_epoch", best == null ? null : best.epoch());
    summary.put("test_accuracy_at_best_validation", best == null ? null : best.testAccuracy());
    summary.put("diffusion_rate", last == null ? null : last.diffusionRate());
    summary.put("seconds", last == null ? 0 : last.seconds());
    summary.put("seconds_per_epoch", last == null ? 0 : last.seconds() / rows.size());
    summary.put("nfe", total.nfe());
    summary.put("nfe_per_epoch", rows.isEmpty() ? 0 : total.nfe() / rows.size());
    summary.put("costs", CostTable.json(total));
    summary.put("output", out.toString());
    if (options.json) {
      System.out.println(new ObjectMapper().writeValueAsString(summary));
    } else if (last != null) {
      System.out.printf(Locale.ROOT, "grand %s step %s: %d epochs in %.1f s (%.2f s/epoch), test accuracy %.2f %% (%.2f %% at"
          + " the best validation epoch %d), NFE %,d (%,d per epoch)%nwrote %s%n", config.method(), config.step(), rows.size(),
          last.seconds(), last.seconds() / rows.size(), 100 * last.testAccuracy(), 100 * best.testAccuracy(), best.epoch(),
          total.nfe(), total.nfe() / rows.size(), out);
    }
  }

  private static void writeCsv(Path out, List<GrandTraining.Epoch> rows) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("epoch,seconds,loss,train_accuracy,validation_accuracy,test_accuracy,diffusion_rate,nfe\n");
    for (GrandTraining.Epoch r : rows) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.9e,%.6f,%.6f,%.6f,%.6f,%d%n", r.epoch(), r.seconds(), r.loss(),
          r.trainAccuracy(), r.validationAccuracy(), r.testAccuracy(), r.diffusionRate(), r.totalCosts().nfe()));
    }
    Outputs.text(out.resolve("accuracy.csv"), csv.toString());
  }

  /** Test accuracy against training wall time (the paper's Fig. 1). */
  static XYChart chart(String title, List<GrandTraining.Epoch> rows, GrandTraining.Epoch best) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("training wall time (s)")
        .yAxisTitle("accuracy (%)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisDecimalPattern("0");
    double[] seconds = rows.stream().mapToDouble(GrandTraining.Epoch::seconds).toArray();
    double[] test = rows.stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray();
    double[] validation = rows.stream().mapToDouble(e -> 100 * e.validationAccuracy()).toArray();
    var t = chart.addSeries("test", seconds, test);
    var v = chart.addSeries("validation", seconds, validation);
    if (rows.size() > 3) {
      t.setMarker(SeriesMarkers.NONE);
      v.setMarker(SeriesMarkers.NONE);
    }
    if (best != null) {
      var hit = chart.addSeries(String.format(Locale.ROOT, "best validation: epoch %d, test %.1f %%", best.epoch(),
          100 * best.testAccuracy()), new double[] {best.seconds()}, new double[] {100 * best.testAccuracy()});
      hit.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
      hit.setMarker(SeriesMarkers.DIAMOND);
      hit.setMarkerColor(java.awt.Color.BLACK);
    }
    return chart;
  }
}

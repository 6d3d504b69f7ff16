package org.panode.cli;

import java.nio.file.Path;
import org.panode.experiments.Experiment;
import org.panode.experiments.Settings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every experiment command shares; unset ones take the experiment's defaults. */
final class RunOptions {
  @Parameters(index = "0", paramLabel = "PROBLEM", description = "kse, burgers, grand, rober, rober-baseline, pollu or pollu-baseline")
  String problem;

  @Option(names = "--grid", description = "grid points (kse: 64 or 512; burgers: 512 or 1024)")
  Integer grid;

  @Option(names = "--method", description = "imex-rk2 (default), imex-rk3..5, rk4, dopri5, cn, beuler, any ARKIMEX type, ts:NAME")
  String method;

  @Option(names = "--step", description = "time step (default: the paper's for the method)")
  Double step;

  @Option(names = "--epochs")
  Integer epochs;

  @Option(names = "--batch")
  Integer batch;

  @Option(names = "--lr", description = "learning rate")
  Double learningRate;

  @Option(names = "--optimizer", description = "adam, adamw, adamax, rmsprop")
  String optimizer;

  @Option(names = "--seed")
  Long seed;

  @Option(names = "--out", description = "output folder")
  Path output;

  @Option(names = "--json", description = "print the summary and tables as JSON")
  boolean json;

  /**
   * PETSc, initialised with the command line's options if nothing initialised it yet (data
   * generation may). Not for the command to close: {@link Main#run} finalises what it started.
   */
  static org.panode.petsc.Petsc petsc() {
    return org.panode.petsc.Petsc.isInitialized() ? org.panode.petsc.Petsc.current() : org.panode.petsc.Petsc.initialize(Main.petscOptions);
  }

  /** The experiment's setup, PETSc initialised first (stiff chemistry generates its data with PETSc). */
  org.panode.experiments.Setup setup(Settings s) throws java.io.IOException {
    petsc();
    return experiment().setup(s);
  }

  /** Every problem ./panode trains: the trajectory experiments and GRAND. */
  static java.util.List<String> knownProblems() {
    var names = new java.util.TreeSet<>(Experiment.ALL.keySet());
    names.add(GrandTrain.PROBLEM);
    return java.util.List.copyOf(names);
  }

  Experiment experiment() {
    Experiment e = Experiment.ALL.get(problem);
    if (e == null && GrandTrain.PROBLEM.equalsIgnoreCase(problem)) {
      throw new IllegalArgumentException("grand (node classification) runs with train only: ./panode train grand");
    }
    if (e == null) {
      throw new IllegalArgumentException("unknown problem '" + problem + "'; known: " + String.join(", ", knownProblems()));
    }
    return e;
  }

  /** The options common to all problems, checked before anything is loaded or written. */
  void checkCommon() {
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, not " + epochs);
    }
    if (batch != null && batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, not " + batch);
    }
    if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("--lr must be a positive number, not " + learningRate);
    }
    if (step != null && !(step > 0 && Double.isFinite(step))) {
      throw new IllegalArgumentException("--step must be a positive number, not " + step);
    }
    if (method != null) {
      org.panode.ode.Method.parse(method); // an unknown method names the known ones
    }
    if (optimizer != null) {
      org.panode.train.Optimizer.named(optimizer, 1e-3, 1); // an unknown optimizer names the known ones
    }
  }

  /** The experiment's defaults overridden by what was given. */
  Settings settings() {
    Experiment e = experiment();
    checkCommon();
    int g = grid != null ? grid : e.grids().getFirst();
    if (!e.grids().contains(g)) {
      throw new IllegalArgumentException(problem + " supports grids " + e.grids() + ", not " + g);
    }
    String m = method != null ? method : e.defaultMethod();
    Settings d = e.defaults(g, m);
    return new Settings(g, m, step != null ? step : d.step(), epochs != null ? epochs : d.epochs(),
        batch != null ? batch : d.batch(), learningRate != null ? learningRate : d.learningRate(),
        optimizer != null ? optimizer : d.optimizer(), seed != null ? seed : d.seed(), output != null ? output : d.output());
  }
}

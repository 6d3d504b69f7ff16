package org.panode.cli;

import java.nio.file.Path;
import org.panode.experiments.Experiment;
import org.panode.experiments.Settings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every experiment command shares; unset ones take the experiment's defaults. */
final class RunOptions {
  @Parameters(index = "0", paramLabel = "PROBLEM", description = "kse, burgers, rober, rober-baseline, pollu or pollu-baseline")
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

  Experiment experiment() {
    return Experiment.named(problem);
  }

  /** The experiment's defaults overridden by what was given. */
  Settings settings() {
    Experiment e = experiment();
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

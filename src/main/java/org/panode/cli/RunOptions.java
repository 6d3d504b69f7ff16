package org.panode.cli;

import java.nio.file.Path;
import org.panode.experiments.Experiment;
import org.panode.experiments.Settings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every experiment command shares; unset ones take the experiment's defaults. */
final class RunOptions {
  @Parameters(index = "0", paramLabel = "PROBLEM", description = "kse or burgers")
  String problem;

  @Option(names = "--grid", description = "grid points (kse: 64 or 512; burgers: 512 or 1024)")
  Integer grid;

  @Option(names = "--method", description = "imex-rk2 (default), imex-rk3..5, rk4, dopri5, cn, beuler, any ARKIMEX type, ts:NAME")
  String method = "imex-rk2";

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
    Settings d = e.defaults(g, method);
    return new Settings(g, method, step != null ? step : d.step(), epochs != null ? epochs : d.epochs(),
        batch != null ? batch : d.batch(), learningRate != null ? learningRate : d.learningRate(),
        optimizer != null ? optimizer : d.optimizer(), seed != null ? seed : d.seed(), output != null ? output : d.output());
  }
}

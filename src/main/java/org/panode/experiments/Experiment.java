package org.panode.experiments;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One of the paper's experiments: its default settings and how to build it. */
public interface Experiment {
  String name();

  /** The grids it supports (the first is the default). */
  List<Integer> grids();

  /** The method used when none is given. */
  default String defaultMethod() {
    return "imex-rk2";
  }

  /** Defaults for a method: step, epochs, batch size, learning rate, optimizer. */
  Settings defaults(int grid, String method);

  /** Builds the model and loads (generating and caching if needed) the data. */
  Setup setup(Settings settings) throws IOException;

  Map<String, Experiment> ALL = Map.of("kse", new KseExperiment(), "burgers", new BurgersExperiment(),
      "rober", ChemistryExperiment.rober(true), "rober-baseline", ChemistryExperiment.rober(false),
      "pollu", ChemistryExperiment.pollu(true), "pollu-baseline", ChemistryExperiment.pollu(false));

  static Experiment named(String name) {
    Experiment e = ALL.get(name);
    if (e == null) {
      throw new IllegalArgumentException("unknown problem '" + name + "'; known: " + String.join(", ", ALL.keySet().stream().sorted().toList()));
    }
    return e;
  }
}

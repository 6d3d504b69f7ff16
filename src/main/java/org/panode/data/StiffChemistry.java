package org.panode.data;

import java.util.Map;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.petsc.Petsc;
import org.panode.ode.SaveAt;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;

/**
 * Integrates a reaction network with PETSc through {@link org.panode.solve.Solver}: adaptive BDF of order 5 with
 * Newton on the dense LU of the kinetics' Jacobian (assembled from JVPs), and step rejection (not
 * failure) when Newton diverges. Chosen by measurement (docs/chemistry.md): against the Test Set's
 * POLLU solution at t = 60 it reaches a 5e-9 relative error at rtol 1e-8 in about 1 s, ten times
 * faster than Rosenbrock-W (ts:rosw); matrix-free GMRES at PETSc's default tolerance stalled on
 * POLLU's ill-conditioned Newton systems. Initialises PETSc on the calling thread if needed; PETSc must then be used
 * from that thread only.
 */
final class StiffChemistry {
  static final String METHOD = "ts:bdf";
  /** Sorted: its text is part of the data's cache key (Map.of's order changes from one JVM to the next). */
  static final Map<String, String> OPTIONS = java.util.Collections.unmodifiableSortedMap(
      new java.util.TreeMap<>(Map.of("ts_bdf_order", "5", "ts_max_snes_failures", "-1")));
  private static final String PREFIX = "panode_chem_";

  private StiffChemistry() {}

  /** The states at the output times (each a new array), with {@link #METHOD} and {@link #OPTIONS}. */
  static double[][] solve(ReactionNetwork network, double[] y0, double[] times, double firstStep, double atol, double rtol) {
    return solve(network, y0, times, METHOD, OPTIONS, firstStep, atol, rtol);
  }

  /** The states at the output times with another PETSc method (e.g. to cross-check the default). */
  static double[][] solve(ReactionNetwork network, double[] y0, double[] times, String method, Map<String, String> options,
      double firstStep, double atol, double rtol) {
    if (y0.length != network.species()) {
      throw new IllegalArgumentException("the network has " + network.species() + " species, the initial state " + y0.length);
    }
    if (!Petsc.isInitialized()) {
      Petsc.initialize();
    }
    var database = Petsc.current().options();
    String prefix = PREFIX + Integer.toHexString((method + options).hashCode() & 0xfffffff) + "_";
    options.forEach((name, value) -> database.set(prefix, name, value));
    var problem = new ImplicitProblem(new KineticsTerm(network));
    var config = SolverConfig.builder(Method.parse(method), StepControl.adaptive(firstStep, atol, rtol)).optionsPrefix(prefix).build();
    try (var solution = Solver.solve(problem, config, y0, 1, SaveAt.times(times))) {
      return solution.states();
    }
  }
}

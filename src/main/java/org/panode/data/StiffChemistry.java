package org.panode.data;

import java.util.Map;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.petsc.Petsc;
import org.panode.solve.NeuralOde;

/**
 * Integrates a reaction network with PETSc through {@link NeuralOde}: an adaptive implicit method
 * (Newton with matrix-free GMRES on the network's JVPs) at tight tolerances. Initialises PETSc on
 * the calling thread if needed; PETSc must then be used from that thread only.
 */
final class StiffChemistry {
  private static final String PREFIX = "panode_chem_";

  private StiffChemistry() {}

  /** The states at the output times (each a new array). */
  static double[][] solve(ReactionNetwork network, double[] y0, double[] times, String method, Map<String, String> options,
      double firstStep, double atol, double rtol) {
    if (!Petsc.isInitialized()) {
      Petsc.initialize();
    }
    var database = Petsc.current().options();
    options.forEach((name, value) -> database.set(PREFIX, name, value));
    var problem = new ImplicitProblem(new KineticsTerm(network));
    try (var ode = NeuralOde.of(problem, Method.parse(method), StepControl.adaptive(firstStep, atol, rtol)).optionsPrefix(PREFIX)) {
      var solution = ode.solve(y0, 1, 0, times, false);
      System.out.println(method + " " + options + " costs " + solution.costs());
      return solution.states();
    }
  }
}

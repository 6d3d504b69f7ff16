package org.panode.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.panode.petsc.Options;
import org.panode.petsc.Petsc;

/**
 * PETSc options a problem needs to run with its defaults, set for the command's runs unless given
 * on the command line and cleared afterwards. pollu-baseline: the unscaled POLLU kinetics need more
 * Newton iterations than PETSc's default 50 in the first epoch (with 50, cn and beuler both stop
 * with DIVERGED_NONLINEAR_SOLVE; with 200 the epoch runs).
 */
final class ProblemOptions implements AutoCloseable {
  private static final Map<String, Map<String, String>> DEFAULTS = Map.of("pollu-baseline", Map.of("snes_max_it", "200"));
  private final List<String> set = new ArrayList<>();

  private ProblemOptions() {}

  /** Sets the problem's defaults that are not in PETSc's options database yet (PETSc must be initialised). */
  static ProblemOptions apply(String problem) {
    ProblemOptions applied = new ProblemOptions();
    Options options = Petsc.current().options();
    DEFAULTS.getOrDefault(problem, Map.of()).forEach((name, value) -> {
      if (!options.has(name)) {
        options.set(name, value);
        applied.set.add(name);
      }
    });
    return applied;
  }

  @Override
  public void close() {
    if (Petsc.isInitialized()) {
      set.forEach(name -> Petsc.current().options().clear(null, name));
    }
  }
}

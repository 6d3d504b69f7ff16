package org.panode.experiments;

import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.train.Optimizer;
import org.panode.train.Trainer;

/** A configured training run: the solver and its trainer (PETSc must be initialised). */
public record Run(Solver solver, Trainer trainer) implements AutoCloseable {
  public static Run of(Settings s, Setup setup) {
    Solver solver = Solver.of(setup.problem(), config(s));
    Optimizer optimizer = Optimizer.named(s.optimizer(), s.learningRate(), setup.parameterCount());
    Trainer trainer = new Trainer(solver, setup.train(), setup.loss(), optimizer, s.batch(), s.seed())
        .dropLast(setup.dropLast()).schedule(setup.schedule());
    return new Run(solver, trainer);
  }

  /** The solver configuration of these settings: the method at a fixed step. */
  public static SolverConfig config(Settings s) {
    return SolverConfig.of(Method.parse(s.method()), StepControl.fixed(s.step()));
  }

  @Override
  public void close() {
    solver.close();
  }
}

package org.panode.experiments;

import org.panode.ode.Checkpointing;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.train.Optimizer;
import org.panode.train.Trainer;

/** A configured training run: the solver and its trainer (PETSc must be initialised). */
public record Run(Solver solver, Trainer trainer) implements AutoCloseable {
  /** A run with {@link Checkpointing#auto()}: the trajectory in memory when it fits 1 GiB, else stride. */
  public static Run of(Settings s, Setup setup) {
    return of(s, setup, Checkpointing.auto());
  }

  public static Run of(Settings s, Setup setup, Checkpointing checkpointing) {
    Solver solver = Solver.of(setup.problem(), config(s, checkpointing));
    Optimizer optimizer = Optimizer.named(s.optimizer(), s.learningRate(), setup.parameterCount());
    Trainer trainer = new Trainer(solver, setup.train(), setup.loss(), optimizer, s.batch(), s.seed())
        .dropLast(setup.dropLast()).schedule(setup.schedule());
    return new Run(solver, trainer);
  }

  /** The solver configuration of these settings: the method at a fixed step, checkpointing chosen automatically. */
  public static SolverConfig config(Settings s) {
    return config(s, Checkpointing.auto());
  }

  public static SolverConfig config(Settings s, Checkpointing checkpointing) {
    return SolverConfig.builder(Method.parse(s.method()), StepControl.fixed(s.step())).checkpointing(checkpointing).build();
  }

  @Override
  public void close() {
    solver.close();
  }
}

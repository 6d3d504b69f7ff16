package org.panode.experiments;

import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.solve.NeuralOde;
import org.panode.train.Optimizer;
import org.panode.train.Trainer;

/** A configured training run: the ODE and its trainer (PETSc must be initialised). */
public record Run(NeuralOde ode, Trainer trainer) implements AutoCloseable {
  public static Run of(Settings s, Setup setup) {
    NeuralOde ode = setup.problem() != null ? NeuralOde.of(setup.problem(), Method.parse(s.method()), StepControl.fixed(s.step()))
        : NeuralOde.of(setup.implicitProblem(), Method.parse(s.method()), StepControl.fixed(s.step()));
    Optimizer optimizer = Optimizer.named(s.optimizer(), s.learningRate(), setup.parameterCount());
    Trainer trainer = new Trainer(ode, setup.train(), setup.loss(), optimizer, s.batch(), s.seed())
        .dropLast(setup.dropLast()).schedule(setup.schedule());
    return new Run(ode, trainer);
  }

  @Override
  public void close() {
    ode.close();
  }
}

package org.panode.solve;

import org.panode.petsc.Ts;

/** A TS wired to a problem's terms for one batch: what NeuralOde drives. */
interface TsWiring extends AutoCloseable {
  Ts ts();

  /** The length of the parameter gradient (mu). */
  int parameterCount();

  @Override
  void close();
}

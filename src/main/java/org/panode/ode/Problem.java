package org.panode.ode;

/**
 * An ODE for a batch of states of dimension d, in one of the structures the solvers know: a split
 * problem du/dt = G(u) + J u (explicit network, implicit linear term) or an implicit problem
 * M du/dt = f(u). The solve layer checks once, before any work, that a method accepts the structure.
 */
public sealed interface Problem permits SplitProblem, ImplicitProblem {
  /** The state dimension d. */
  int dimension();

  /** The length of the flat parameter vector (for a split problem [theta_J, theta_G]). */
  int parameterCount();

  /**
   * The nonlinear term whose evaluations an adjoint repeats at the forward solve's states (the
   * network): it is told to keep them while a trajectory may still be differentiated.
   */
  Term nonlinearTerm();
}

package org.panode.petsc;

/** The divergence policy of every TS: a state that turns NaN or Inf ends the solve with an ArithmeticException. */
final class FiniteStateCheck {
  private FiniteStateCheck() {}

  static void require(int step, double t, Vec u) {
    double norm = u.norm();
    if (!Double.isFinite(norm)) {
      throw new ArithmeticException("the state is not finite (NaN or Inf) at step " + step + ", t = " + t
          + ": the solution diverged (for an explicit method on a stiff problem, use a smaller step or an implicit/IMEX method)");
    }
  }
}

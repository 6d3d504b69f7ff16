package org.panode.ode;

import java.util.Objects;

/**
 * du/dt = G(u; theta_G) + J(theta_J) u: an explicit term G (a network) and an implicit linear term
 * J. The parameters of the problem are one flat vector [theta_J, theta_G].
 */
public record SplitProblem(Term explicit, LinearTerm implicit) implements Problem {
  public SplitProblem {
    Objects.requireNonNull(explicit, "explicit term");
    Objects.requireNonNull(implicit, "implicit term");
    if (explicit.dimension() != implicit.dimension()) {
      throw new IllegalArgumentException("the explicit term has dimension " + explicit.dimension()
          + " but the implicit term has dimension " + implicit.dimension());
    }
  }

  @Override
  public Term nonlinearTerm() {
    return explicit;
  }

  @Override
  public int dimension() {
    return explicit.dimension();
  }

  /** Parameters of J then of G. */
  @Override
  public int parameterCount() {
    return implicit.parameterCount() + explicit.parameterCount();
  }
}

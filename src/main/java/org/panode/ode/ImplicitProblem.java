package org.panode.ode;

import java.util.Objects;

/**
 * M du/dt = f(u; theta) with one term f treated implicitly and an optional diagonal mass matrix M
 * (null for the identity; zeros on the diagonal make algebraic equations: a DAE). For baselines
 * and stiff systems; solved with implicit methods (cn, beuler, or another PETSc TS type).
 */
public record ImplicitProblem(Term term, double[] massDiagonal) implements Problem {
  public ImplicitProblem {
    Objects.requireNonNull(term, "term");
    if (massDiagonal != null) {
      if (massDiagonal.length != term.dimension()) {
        throw new IllegalArgumentException("the mass matrix diagonal has " + massDiagonal.length
            + " entries but the term has dimension " + term.dimension());
      }
      for (int i = 0; i < massDiagonal.length; i++) {
        if (!Double.isFinite(massDiagonal[i])) {
          throw new IllegalArgumentException("mass matrix entry " + i + " is " + massDiagonal[i]);
        }
      }
      massDiagonal = massDiagonal.clone();
    }
  }

  public ImplicitProblem(Term term) {
    this(term, null);
  }

  @Override
  public Term nonlinearTerm() {
    return term;
  }

  @Override
  public int dimension() {
    return term.dimension();
  }

  @Override
  public int parameterCount() {
    return term.parameterCount();
  }
}

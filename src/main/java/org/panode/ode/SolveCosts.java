package org.panode.ode;

/** The costs of a solve (or of an epoch, summed), forward and adjoint apart. */
public record SolveCosts(PhaseCosts forward, PhaseCosts adjoint) {
  public static final SolveCosts ZERO = new SolveCosts(PhaseCosts.ZERO, PhaseCosts.ZERO);

  public SolveCosts plus(SolveCosts o) {
    return new SolveCosts(forward.plus(o.forward), adjoint.plus(o.adjoint));
  }

  /** Forward + adjoint explicit evaluations: the paper's NFE. */
  public long nfe() {
    return forward.explicitEvaluations() + adjoint.explicitEvaluations();
  }
}

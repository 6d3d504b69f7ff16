package org.panode.ode;

/**
 * What one phase (forward or adjoint) of a solve cost: explicit-term evaluations (NFE as the
 * SINODE paper counts them: forward = values of G, adjoint = VJPs of G), implicit-term
 * applications, JVPs and VJPs of G, linear solves, Krylov iterations, LU factorizations, accepted
 * and rejected steps, and wall time.
 */
public record PhaseCosts(long explicitEvaluations, long implicitApplications, long jvps, long vjps, long linearSolves,
    long krylovIterations, long luFactorizations, long steps, long rejectedSteps, double seconds) {
  public static final PhaseCosts ZERO = new PhaseCosts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public PhaseCosts plus(PhaseCosts o) {
    return new PhaseCosts(explicitEvaluations + o.explicitEvaluations, implicitApplications + o.implicitApplications,
        jvps + o.jvps, vjps + o.vjps, linearSolves + o.linearSolves, krylovIterations + o.krylovIterations,
        luFactorizations + o.luFactorizations, steps + o.steps, rejectedSteps + o.rejectedSteps, seconds + o.seconds);
  }
}

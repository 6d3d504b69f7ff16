package org.panode.solve;

import org.panode.ode.PhaseCosts;

/** Mutable counters the callbacks increment; {@link #since} turns them into a phase's costs. */
final class Counters {
  long explicitEvaluations;
  long implicitApplications;
  long jvps;
  long vjps;
  long linearSolves;
  long krylovIterations;
  long luFactorizations;
  long steps;
  long rejectedSteps;

  Counters copy() {
    Counters c = new Counters();
    c.explicitEvaluations = explicitEvaluations;
    c.implicitApplications = implicitApplications;
    c.jvps = jvps;
    c.vjps = vjps;
    c.linearSolves = linearSolves;
    c.krylovIterations = krylovIterations;
    c.luFactorizations = luFactorizations;
    c.steps = steps;
    c.rejectedSteps = rejectedSteps;
    return c;
  }

  /** The costs between {@code start} and now, taking {@code seconds}. */
  PhaseCosts since(Counters start, double seconds) {
    return new PhaseCosts(explicitEvaluations - start.explicitEvaluations, implicitApplications - start.implicitApplications,
        jvps - start.jvps, vjps - start.vjps, linearSolves - start.linearSolves, krylovIterations - start.krylovIterations,
        luFactorizations - start.luFactorizations, steps - start.steps, rejectedSteps - start.rejectedSteps, seconds);
  }
}

package org.panode.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SolveCosts;

/** The cost table of an epoch: forward and adjoint counters side by side, as text or as a map for JSON. */
final class CostTable {
  private CostTable() {}

  static String text(SolveCosts c) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-26s %14s %14s %14s%n", "", "forward", "adjoint", "total"));
    row(b, "explicit evaluations (NFE)", c.forward().explicitEvaluations(), c.adjoint().explicitEvaluations());
    row(b, "steps", c.forward().steps(), c.adjoint().steps());
    row(b, "rejected steps", c.forward().rejectedSteps(), c.adjoint().rejectedSteps());
    row(b, "implicit applications", c.forward().implicitApplications(), c.adjoint().implicitApplications());
    row(b, "JVPs", c.forward().jvps(), c.adjoint().jvps());
    row(b, "VJPs", c.forward().vjps(), c.adjoint().vjps());
    row(b, "linear solves", c.forward().linearSolves(), c.adjoint().linearSolves());
    row(b, "Krylov iterations", c.forward().krylovIterations(), c.adjoint().krylovIterations());
    row(b, "LU factorizations", c.forward().luFactorizations(), c.adjoint().luFactorizations());
    b.append(String.format(Locale.ROOT, "%-26s %14.3f %14.3f %14.3f%n", "seconds", c.forward().seconds(), c.adjoint().seconds(),
        c.forward().seconds() + c.adjoint().seconds()));
    return b.toString();
  }

  private static void row(StringBuilder b, String name, long forward, long adjoint) {
    b.append(String.format(Locale.ROOT, "%-26s %,14d %,14d %,14d%n", name, forward, adjoint, forward + adjoint));
  }

  static Map<String, Object> json(SolveCosts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("forward", phase(c.forward()));
    m.put("adjoint", phase(c.adjoint()));
    return m;
  }

  private static Map<String, Object> phase(PhaseCosts p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nfe", p.explicitEvaluations());
    m.put("steps", p.steps());
    m.put("rejected_steps", p.rejectedSteps());
    m.put("implicit_applications", p.implicitApplications());
    m.put("jvps", p.jvps());
    m.put("vjps", p.vjps());
    m.put("linear_solves", p.linearSolves());
    m.put("krylov_iterations", p.krylovIterations());
    m.put("lu_factorizations", p.luFactorizations());
    m.put("seconds", p.seconds());
    return m;
  }
}

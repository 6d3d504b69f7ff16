package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.BatchThreads;
import org.panode.ode.LinearTerm;
import org.panode.ode.SplitProblem;
import org.panode.ode.Term;

/**
 * The products of a split problem du/dt = G(u) + J u on a batch, at explicit linearization points:
 * G's JVP and VJP (state and parameters), J and J^T, shift*I - J and its LU solves. Counts every
 * evaluation. J does not depend on t or u (a LinearTerm): its products ignore the point's state.
 *
 * <p>The explicit VJP w.r.t. the state and w.r.t. the parameters share one backward pass when PETSc
 * asks for both with the same vector at the same point: the state VJP keeps its parameter half in a
 * {@link SharedBackwardPass}, and the parameter VJP takes it only if point and vector match (checked
 * bit for bit, not assumed).
 */
final class SplitOperators {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  final Term g;
  final LinearTerm j;
  final int batch;
  final long n;
  final int pJ;
  final int pG;
  private final Counters counters;
  private final ShiftedSolver lu;
  private final Arena arena;
  /** Made on the first state VJP: a wiring that sums G's parameter gradient itself never needs it. */
  private SharedBackwardPass backward;

  /** {@code lu} factors shift*I - J for LinearSolver.DirectLu (null for Krylov). */
  SplitOperators(SplitProblem problem, int batch, Counters counters, ShiftedSolver lu, Arena arena) {
    this.g = problem.explicit();
    this.j = problem.implicit();
    this.batch = batch;
    this.n = (long) problem.dimension() * batch;
    this.pJ = j.parameterCount();
    this.pG = g.parameterCount();
    this.counters = counters;
    this.lu = lu;
    this.arena = arena;
  }

  int parameterCount() {
    return pJ + pG;
  }

  void explicitValue(double t, MemorySegment u, MemorySegment out) {
    g.value(t, u, batch, out);
    counters.explicitEvaluations++;
  }

  void implicitValue(double t, MemorySegment u, MemorySegment out) {
    j.value(t, u, batch, out);
    counters.implicitApplications++;
  }

  /** out = J^T w. */
  void implicitTranspose(LinearizationPoint at, MemorySegment w, MemorySegment out) {
    j.vjp(at.time(), at.state(), w, batch, out);
    counters.implicitApplications++;
  }

  /** out = (dG/du) v at the point. */
  void explicitJvp(LinearizationPoint at, MemorySegment v, MemorySegment out) {
    g.jvp(at.time(), at.state(), v, batch, out);
    counters.jvps++;
  }

  /** out = (dG/du)^T w at the point; keeps (dG/dtheta)^T w from the same backward pass. */
  void explicitVjp(LinearizationPoint at, MemorySegment w, MemorySegment out) {
    if (pG > 0) {
      if (backward == null) {
        backward = new SharedBackwardPass(arena, n, pG);
      }
      g.vjpBoth(at.time(), at.state(), w, batch, out, backward.begin(at, w));
    } else {
      g.vjp(at.time(), at.state(), w, batch, out);
    }
    counters.vjps++;
    counters.explicitEvaluations++;
  }

  /** out = (dG/du)^T w at the point, and (dG/dtheta)^T w added to {@code gradient} (G's parameters). */
  void explicitVjpSummed(LinearizationPoint at, MemorySegment w, MemorySegment out, MemorySegment gradient) {
    g.vjpBoth(at.time(), at.state(), w, batch, out, gradient);
    counters.vjps++;
    counters.explicitEvaluations++;
  }

  /**
   * out = [d(J u)/dtheta_J^T w if {@code withImplicit} else 0, dG/dtheta_G^T w] at the parameter
   * point; the G half comes from the state VJP's backward pass when that was at the same state,
   * time and w.
   */
  void explicitParameterVjp(LinearizationPoint at, MemorySegment w, MemorySegment out, boolean withImplicit) {
    MemorySegment jPart = out.asSlice(0, 8L * pJ);
    jPart.fill((byte) 0);
    if (withImplicit && pJ > 0) {
      j.vjpParameters(at.time(), at.state(), w, batch, jPart);
    }
    if (pG == 0) {
      return;
    }
    // The G half is either copied whole from the state VJP's backward pass or accumulated from 0.
    MemorySegment gPart = out.asSlice(8L * pJ, 8L * pG);
    if (backward == null || !backward.takeInto(at, w, gPart)) {
      gPart.fill((byte) 0);
      g.vjpParameters(at.time(), at.state(), w, batch, gPart);
      counters.vjps++;
    }
  }

  /** out = -[d(J u)/dtheta_J^T w, dG/dtheta_G^T w if {@code withExplicit}]: dF/dtheta for F = u' - J u (- G(u)). */
  void implicitParameterVjp(LinearizationPoint at, MemorySegment w, MemorySegment out, boolean withExplicit) {
    // Only the halves that were computed are negated: the rest stays 0 (for KSE and Burgers, all of G's).
    out.fill((byte) 0);
    if (pJ > 0) {
      j.vjpParameters(at.time(), at.state(), w, batch, out.asSlice(0, 8L * pJ));
      negate(out, 0, pJ);
    }
    if (withExplicit && pG > 0) {
      g.vjpParameters(at.time(), at.state(), w, batch, out.asSlice(8L * pJ, 8L * pG));
      counters.vjps++;
      negate(out, pJ, pG);
    }
  }

  /** y = shift x - J x (or shift x - J^T x), with the point's shift. */
  void shiftedImplicit(LinearizationPoint at, MemorySegment x, MemorySegment y, boolean transpose) {
    if (transpose) {
      implicitTranspose(at, x, y);
    } else {
      implicitValue(at.time(), x, y);
    }
    double shift = at.shift();
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, shift * x.getAtIndex(D, i) - y.getAtIndex(D, i));
    }
  }

  /** y = (shift I - J)^-1 x (or ^-T) by the LU factors, refactored only when J or the shift changed. */
  void luSolve(LinearizationPoint at, MemorySegment x, MemorySegment y, boolean transpose) {
    BatchThreads.copy(x, y);
    lu.prepare(at.shift());
    lu.solveInPlace(y, batch, transpose);
  }

  void addInto(MemorySegment y, MemorySegment x) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, y.getAtIndex(D, i) + x.getAtIndex(D, i));
    }
  }

  void subtractFrom(MemorySegment y, MemorySegment x) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, y.getAtIndex(D, i) - x.getAtIndex(D, i));
    }
  }

  private static void negate(MemorySegment v, long from, long count) {
    for (long i = from; i < from + count; i++) {
      v.setAtIndex(D, i, -v.getAtIndex(D, i));
    }
  }
}

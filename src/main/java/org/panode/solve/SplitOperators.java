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
  /** Below two blocks of this many values a J product runs in one call: splitting would cost more. */
  private static final long MIN_BLOCK_VALUES = 8192;

  final Term g;
  final LinearTerm j;
  final int batch;
  final int dimension;
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
    this.dimension = problem.dimension();
    this.n = (long) dimension * batch;
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
    inRowBlocks(u, out, null, null, (us, outs, unused, ignored, rows) -> j.value(t, us, rows, outs));
    counters.implicitApplications++;
  }

  /** f = uDot - J u: the implicit function of an IMEX method. */
  void implicitResidual(double t, MemorySegment u, MemorySegment uDot, MemorySegment f) {
    inRowBlocks(u, f, uDot, null, (us, fs, uds, ignored, rows) -> {
      j.value(t, us, rows, fs);
      for (long i = 0, m = (long) rows * dimension; i < m; i++) {
        fs.setAtIndex(D, i, uds.getAtIndex(D, i) - fs.getAtIndex(D, i));
      }
    });
    counters.implicitApplications++;
  }

  /** out = J^T w. */
  void implicitTranspose(LinearizationPoint at, MemorySegment w, MemorySegment out) {
    inRowBlocks(w, out, null, at.state(), (ws, outs, unused, states, rows) -> j.vjp(at.time(), states, ws, rows, outs));
    counters.implicitApplications++;
  }

  /** One block of a batch's J product: x, out, an extra input and the point's state, each its block's rows. */
  @FunctionalInterface
  private interface RowBlock {
    void run(MemorySegment x, MemorySegment out, MemorySegment extra, MemorySegment state, int rows);
  }

  /**
   * Runs {@code body} on the whole batch, or, when J may run in several threads at once and the
   * batch is large, on one block of samples per batch thread (null segments stay null).
   */
  private void inRowBlocks(MemorySegment x, MemorySegment out, MemorySegment extra, MemorySegment state, RowBlock body) {
    int blocks = j.threadSafe() ? (int) Math.min(BatchThreads.get(), Math.min(batch, n / MIN_BLOCK_VALUES)) : 1;
    if (blocks <= 1) {
      body.run(x, out, extra, state, batch);
      return;
    }
    MemorySegment xs = BatchThreads.shared(x), outs = BatchThreads.shared(out);
    MemorySegment extras = BatchThreads.shared(extra), states = BatchThreads.shared(state);
    long rowBytes = 8L * dimension;
    BatchThreads.run(blocks, block -> {
      int first = (int) ((long) batch * block / blocks), end = (int) ((long) batch * (block + 1) / blocks);
      long offset = first * rowBytes, bytes = (end - first) * rowBytes;
      body.run(xs.asSlice(offset, bytes), outs.asSlice(offset, bytes), extras == null ? null : extras.asSlice(offset, bytes),
          states == null ? null : states.asSlice(offset, bytes), end - first);
    });
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

  /**
   * y = shift x - J x (or shift x - J^T x), with the point's shift. J is linear, so its VJP does not
   * read the state it is given (ARKIMEX's point keeps only the time and the shift).
   */
  void shiftedImplicit(LinearizationPoint at, MemorySegment x, MemorySegment y, boolean transpose) {
    double shift = at.shift(), t = at.time();
    inRowBlocks(x, y, null, at.state(), (xs, ys, unused, states, rows) -> {
      if (transpose) {
        j.vjp(t, states, xs, rows, ys);
      } else {
        j.value(t, xs, rows, ys);
      }
      for (long i = 0, m = (long) rows * dimension; i < m; i++) {
        ys.setAtIndex(D, i, shift * xs.getAtIndex(D, i) - ys.getAtIndex(D, i));
      }
    });
    counters.implicitApplications++;
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

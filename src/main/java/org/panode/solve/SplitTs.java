package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.panode.ode.LinearTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.Term;
import org.panode.petsc.Comm;
import org.panode.petsc.Mat;
import org.panode.petsc.Ts;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * One PETSc TS wired to a split problem on a batch of m states (one Vec of m*d entries):
 *
 * <ul>
 *   <li>IMEX (ARKIMEX): IFunction u' - J u with a shell IJacobian shift*I - J, solved by the LU
 *       preconditioner (preonly) or matrix-free Krylov; RHS G(u) with a shell Jacobian whose products
 *       are G's JVP and VJP at the stage state;
 *   <li>EXPLICIT (RK): RHS G(u) + J u, shell Jacobian JVP + J, VJP + J^T;
 *   <li>IMPLICIT (theta and others): IFunction u' - J u - G(u), shell Jacobian shift*I - J - dG/du,
 *       Newton-Krylov preconditioned by the LU of shift*I - J.
 * </ul>
 *
 * Parameter Jacobians are shells whose transpose products are the terms' parameter VJPs; parameters
 * are [theta_J, theta_G]. The explicit VJP w.r.t. state and parameters shares one backward pass when
 * PETSc asks for both with the same vector at the same state (checked, not assumed).
 */
final class SplitTs implements TsWiring {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  private final Term g;
  private final LinearTerm j;
  private final int d;
  private final int batch;
  private final int n;
  private final int pJ;
  private final int pG;
  private final Counters counters;
  private final Arena buffers = Arena.ofConfined();
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final ShiftedSolver lu;
  private final Ts ts;
  private final Method.Kind kind;

  // The state at which the explicit Jacobian (and its parameter Jacobian) was last evaluated.
  private final MemorySegment explicitState;
  private double explicitTime;
  private final MemorySegment explicitParameterState;
  private double explicitParameterTime;
  private final MemorySegment implicitParameterState;
  private double implicitParameterTime;
  // The last explicit VJP: its input and the parameter part computed in the same backward pass.
  private final MemorySegment lastVjpInput;
  private final MemorySegment lastVjpParameters;
  private boolean lastVjpValid;
  private final MemorySegment scratch;
  private double shift;

  /** {@code lu} is the shared factorization cache for LinearSolver.DirectLu (null otherwise). */
  SplitTs(SplitProblem problem, Method method, LinearSolver linearSolver, ShiftedSolver lu, int batch, Counters counters) {
    this.g = problem.explicit();
    this.j = problem.implicit();
    this.d = problem.dimension();
    this.batch = batch;
    this.n = d * batch;
    this.pJ = j.parameterCount();
    this.pG = g.parameterCount();
    this.counters = counters;
    this.explicitState = buffers.allocate(D, n);
    this.explicitParameterState = buffers.allocate(D, n);
    this.implicitParameterState = buffers.allocate(D, n);
    this.lastVjpInput = buffers.allocate(D, n);
    this.lastVjpParameters = buffers.allocate(D, Math.max(1, pG));
    this.scratch = buffers.allocate(D, n);
    this.lu = lu;
    this.kind = method.kind();
    this.ts = Ts.create(Comm.self());
    try {
      switch (method.kind()) {
        case IMEX -> wireImex(method, linearSolver);
        case EXPLICIT -> wireExplicit(method);
        case IMPLICIT -> wireImplicit(method, linearSolver);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public Ts ts() {
    return ts;
  }

  @Override
  public void optionsApplied() {
    if (kind == Method.Kind.IMPLICIT) {
      TsWiring.zeroRhsParameterJacobianUnlessTheta(ts, n, pJ + pG, this::own);
    }
  }

  @Override
  public int parameterCount() {
    return pJ + pG;
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  // ---- wiring

  private void wireImex(Method method, LinearSolver linearSolver) {
    // Not TS_LINEAR: PETSc would then reuse the RHS Jacobian at equal times whatever the state,
    // and the explicit Jacobian (G's JVP/VJP) depends on the state. One Newton step (ksponly)
    // solves the linear stage equations exactly.
    ts.arkimexType(method.tableau()).linearProblem(false);
    ts.snes().type("ksponly");
    ts.iFunction((t, u, uDot, f) -> withArrays(u, uDot, f, (us, uds, fs) -> {
      j.value(t, us, batch, fs);
      counters.implicitApplications++;
      for (long i = 0; i < n; i++) {
        fs.setAtIndex(D, i, uds.getAtIndex(D, i) - fs.getAtIndex(D, i));
      }
    }));
    Mat jim = own(Mat.shell(n, n,
        (x, y) -> withArrays(x, y, (xs, ys) -> shiftedImplicit(xs, ys, false)),
        (x, y) -> withArrays(x, y, (xs, ys) -> shiftedImplicit(xs, ys, true))));
    ts.iJacobian(jim, jim, (t, u, uDot, s, a, p) -> shift = s);
    configureLinearSolver(linearSolver, false);

    ts.rhsFunction((t, u, f) -> withArrays(u, f, (us, fs) -> {
      g.value(t, us, batch, fs);
      counters.explicitEvaluations++;
    }));
    Mat jex = own(Mat.shell(n, n,
        (x, y) -> withArrays(x, y, (xs, ys) -> explicitJvp(xs, ys)),
        (x, y) -> withArrays(x, y, (xs, ys) -> explicitVjp(xs, ys))));
    ts.rhsJacobian(jex, jex, (t, u, a, p) -> explicitJacobianAt(t, u));
    Mat jacpRhs = own(Mat.shell(n, Math.max(1, pJ + pG), unsupportedProduct(),
        (w, out) -> withArrays(w, out, (ws, os) -> explicitParameterVjp(ws, os, false))));
    ts.rhsJacobianP(jacpRhs, (t, u, a) -> explicitParameterJacobianAt(t, u));
    Mat jacpIm = own(Mat.shell(n, Math.max(1, pJ + pG), unsupportedProduct(),
        (w, out) -> withArrays(w, out, (ws, os) -> implicitParameterVjp(ws, os))));
    ts.iJacobianP(jacpIm, (t, u, uDot, s, a) -> implicitParameterJacobianAt(t, u));
  }

  private void wireExplicit(Method method) {
    ts.rkType(method.tableau());
    ts.rhsFunction((t, u, f) -> withArrays(u, f, (us, fs) -> {
      g.value(t, us, batch, fs);
      counters.explicitEvaluations++;
      j.value(t, us, batch, scratch);
      counters.implicitApplications++;
      addInto(fs, scratch);
    }));
    Mat jac = own(Mat.shell(n, n,
        (x, y) -> withArrays(x, y, (xs, ys) -> {
          explicitJvp(xs, ys);
          j.value(explicitTime, xs, batch, scratch);
          counters.implicitApplications++;
          addInto(ys, scratch);
        }),
        (x, y) -> withArrays(x, y, (xs, ys) -> {
          explicitVjp(xs, ys);
          j.vjp(explicitTime, explicitState, xs, batch, scratch);
          counters.implicitApplications++;
          addInto(ys, scratch);
        })));
    ts.rhsJacobian(jac, jac, (t, u, a, p) -> explicitJacobianAt(t, u));
    Mat jacp = own(Mat.shell(n, Math.max(1, pJ + pG), unsupportedProduct(),
        (w, out) -> withArrays(w, out, (ws, os) -> explicitParameterVjp(ws, os, true))));
    ts.rhsJacobianP(jacp, (t, u, a) -> explicitParameterJacobianAt(t, u));
  }

  private void wireImplicit(Method method, LinearSolver linearSolver) {
    ts.type(method.petscType()).linearProblem(false);
    ts.iFunction((t, u, uDot, f) -> withArrays(u, uDot, f, (us, uds, fs) -> {
      g.value(t, us, batch, fs);
      counters.explicitEvaluations++;
      j.value(t, us, batch, scratch);
      counters.implicitApplications++;
      for (long i = 0; i < n; i++) {
        fs.setAtIndex(D, i, uds.getAtIndex(D, i) - fs.getAtIndex(D, i) - scratch.getAtIndex(D, i));
      }
    }));
    Mat jim = own(Mat.shell(n, n,
        (x, y) -> withArrays(x, y, (xs, ys) -> {
          explicitJvp(xs, scratch);
          shiftedImplicit(xs, ys, false);
          subtractFrom(ys, scratch);
        }),
        (x, y) -> withArrays(x, y, (xs, ys) -> {
          explicitVjp(xs, scratch);
          shiftedImplicit(xs, ys, true);
          subtractFrom(ys, scratch);
        })));
    ts.iJacobian(jim, jim, (t, u, uDot, s, a, p) -> {
      shift = s;
      explicitJacobianAt(t, u);
    });
    configureLinearSolver(linearSolver, true);
    Mat jacpIm = own(Mat.shell(n, Math.max(1, pJ + pG), unsupportedProduct(),
        (w, out) -> withArrays(w, out, (ws, os) -> {
          implicitParameterVjp(ws, os);
          // dF/dtheta_G = -dG/dtheta_G, at the same state.
          if (pG > 0) {
            MemorySegment gPart = os.asSlice(8L * pJ, 8L * pG);
            g.vjpParameters(implicitParameterTime, implicitParameterState, ws, batch, gPart);
            counters.vjps++;
            for (long i = 0; i < pG; i++) {
              gPart.setAtIndex(D, i, -gPart.getAtIndex(D, i));
            }
          }
        })));
    ts.iJacobianP(jacpIm, (t, u, uDot, s, a) -> implicitParameterJacobianAt(t, u));
  }

  private void configureLinearSolver(LinearSolver linearSolver, boolean newton) {
    var ksp = ts.ksp();
    switch (linearSolver) {
      case LinearSolver.DirectLu lu -> {
        if (newton) {
          // Newton systems include dG/du: GMRES, preconditioned by the exact LU of shift*I - J.
          ts.ksp().type("gmres").tolerances(1e-10, 1e-50, 1000);
        } else {
          ksp.type("preonly");
        }
        ksp.shellPreconditioner(
            (x, y) -> withArrays(x, y, (xs, ys) -> luSolve(xs, ys, false)),
            (x, y) -> withArrays(x, y, (xs, ys) -> luSolve(xs, ys, true)));
      }
      case LinearSolver.Krylov k -> ksp.type(k.type()).pcType("none").tolerances(k.relativeTolerance(), 1e-50, k.maxIterations());
    }
  }

  // ---- the operators

  /** y = shift x - J x (or shift x - J^T x). */
  private void shiftedImplicit(MemorySegment x, MemorySegment y, boolean transpose) {
    if (transpose) {
      j.vjp(0, explicitState, x, batch, y);
    } else {
      j.value(0, x, batch, y);
    }
    counters.implicitApplications++;
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, shift * x.getAtIndex(D, i) - y.getAtIndex(D, i));
    }
  }

  private void luSolve(MemorySegment x, MemorySegment y, boolean transpose) {
    y.copyFrom(x);
    lu.prepare(shift);
    lu.solveInPlace(y, batch, transpose);
  }

  private void explicitJvp(MemorySegment v, MemorySegment out) {
    g.jvp(explicitTime, explicitState, v, batch, out);
    counters.jvps++;
  }

  /** out = (dG/du)^T w; also computes and keeps (dG/dtheta)^T w for a parameter product with the same w. */
  private void explicitVjp(MemorySegment w, MemorySegment out) {
    lastVjpParameters.fill((byte) 0);
    if (pG > 0) {
      g.vjpBoth(explicitTime, explicitState, w, batch, out, lastVjpParameters.asSlice(0, 8L * pG));
    } else {
      g.vjp(explicitTime, explicitState, w, batch, out);
    }
    lastVjpInput.copyFrom(w);
    lastVjpValid = true;
    counters.vjps++;
    counters.explicitEvaluations++;
  }

  /**
   * out = [d(J u)/dtheta_J^T w if withImplicit else 0, dG/dtheta_G^T w] at the parameter Jacobian's
   * state; reuses the state VJP's backward pass when the state, time and w are the same.
   */
  private void explicitParameterVjp(MemorySegment w, MemorySegment out, boolean withImplicit) {
    out.fill((byte) 0);
    if (withImplicit && pJ > 0) {
      j.vjpParameters(explicitParameterTime, explicitParameterState, w, batch, out.asSlice(0, 8L * pJ));
    }
    if (pG == 0) {
      return;
    }
    MemorySegment gPart = out.asSlice(8L * pJ, 8L * pG);
    boolean reuse = lastVjpValid && explicitParameterTime == explicitTime
        && explicitParameterState.mismatch(explicitState) == -1 && w.mismatch(lastVjpInput) == -1;
    if (reuse) {
      gPart.copyFrom(lastVjpParameters.asSlice(0, 8L * pG));
    } else {
      g.vjpParameters(explicitParameterTime, explicitParameterState, w, batch, gPart);
      counters.vjps++;
    }
  }

  /** out = [-(d(J u)/dtheta_J)^T w, 0]: F = u' - J u, so dF/dtheta_J = -d(J u)/dtheta_J. */
  private void implicitParameterVjp(MemorySegment w, MemorySegment out) {
    out.fill((byte) 0);
    if (pJ == 0) {
      return;
    }
    MemorySegment jPart = out.asSlice(0, 8L * pJ);
    j.vjpParameters(0, implicitParameterState, w, batch, jPart);
    for (long i = 0; i < pJ; i++) {
      jPart.setAtIndex(D, i, -jPart.getAtIndex(D, i));
    }
  }

  private static void copyState(Vec u, MemorySegment into) {
    try (VecArray a = u.readArray()) {
      into.copyFrom(a.segment());
    }
  }

  /** The explicit Jacobian's state changed: earlier VJPs no longer apply. */
  private void explicitJacobianAt(double t, Vec u) {
    copyState(u, explicitState);
    explicitTime = t;
    lastVjpValid = false;
  }

  private void explicitParameterJacobianAt(double t, Vec u) {
    copyState(u, explicitParameterState);
    explicitParameterTime = t;
  }

  private void implicitParameterJacobianAt(double t, Vec u) {
    copyState(u, implicitParameterState);
    implicitParameterTime = t;
  }

  private void addInto(MemorySegment y, MemorySegment x) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, y.getAtIndex(D, i) + x.getAtIndex(D, i));
    }
  }

  private void subtractFrom(MemorySegment y, MemorySegment x) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(D, i, y.getAtIndex(D, i) - x.getAtIndex(D, i));
    }
  }

  private static Mat.Product unsupportedProduct() {
    return (x, y) -> {
      throw new UnsupportedOperationException("forward parameter sensitivities are not supported; use the adjoint");
    };
  }

  // ---- array access

  private interface Body2 {
    void run(MemorySegment a, MemorySegment b);
  }

  private interface Body3 {
    void run(MemorySegment a, MemorySegment b, MemorySegment c);
  }

  private static void withArrays(Vec in, Vec out, Body2 body) {
    try (VecArray a = in.readArray(); VecArray b = out.array()) {
      body.run(a.segment(), b.segment());
    }
  }

  private static void withArrays(Vec in1, Vec in2, Vec out, Body3 body) {
    try (VecArray a = in1.readArray(); VecArray b = in2.readArray(); VecArray c = out.array()) {
      body.run(a.segment(), b.segment(), c.segment());
    }
  }

  @Override
  public void close() {
    ts.close();
    for (AutoCloseable c : owned.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    owned.clear();
    if (buffers.scope().isAlive()) {
      buffers.close();
    }
  }
}

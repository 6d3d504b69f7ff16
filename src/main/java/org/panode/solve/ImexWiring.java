package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.SplitProblem;
import org.panode.petsc.Mat;

/**
 * ARKIMEX on du/dt = G(u) + J u: IFunction u' - J u with a shell IJacobian shift*I - J, solved by
 * the LU of shift*I - J (KSP preonly with a shell PC) or matrix-free Krylov; RHS G(u) with a shell
 * Jacobian whose products are G's JVP and VJP at the stage state. Not TS_LINEAR: PETSc would then
 * reuse the RHS Jacobian at equal times whatever the state; one Newton step (ksponly) solves the
 * linear stage equations exactly.
 *
 * <p>When J has no parameters, the gradient w.r.t. G's parameters is summed in Java by the state
 * VJPs ({@link ParameterSum}) and PETSc gets no parameter Jacobians and no mu; otherwise PETSc sums
 * both halves through the parameter Jacobian shells.
 */
final class ImexWiring extends Wiring {

  private final SplitOperators ops;
  private final LinearSolver linearSolver;
  private final LinearizationPoint implicitPoint;
  private final LinearizationPoint explicitPoint;
  private final LinearizationPoint explicitParameterPoint;
  private final LinearizationPoint implicitParameterPoint;
  /** Non-null when G's parameter gradient is summed in Java (J has none, G has some, for a gradient). */
  private final ParameterSum parameterSum;

  ImexWiring(SplitProblem problem, LinearSolver linearSolver, ShiftedSolver lu, int batch, boolean forGradient, Counters counters) {
    super(problem.dimension(), batch, forGradient, counters);
    this.ops = new SplitOperators(problem, batch, counters, lu, buffers);
    this.linearSolver = linearSolver;
    this.implicitPoint = new LinearizationPoint(buffers, n);
    this.explicitPoint = new LinearizationPoint(buffers, n);
    this.explicitParameterPoint = new LinearizationPoint(buffers, n);
    this.implicitParameterPoint = new LinearizationPoint(buffers, n);
    boolean summedInJava = forGradient && problem.implicit().parameterCount() == 0 && problem.explicit().parameterCount() > 0;
    this.parameterSum = summedInJava ? new ParameterSum(buffers, ops.parameterCount()) : null;
  }

  @Override
  void wire(SolverConfig config) {
    ts.arkimexType(config.method().tableau()).linearProblem(false);
    ts.snes().type("ksponly");
    ts.iFunction((t, u, uDot, f) -> VecViews.with(u, uDot, f, (us, uds, fs) -> ops.implicitResidual(t, us, uds, fs)));
    Mat implicit = own(Mat.shell(n, n,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.shiftedImplicit(implicitPoint, xs, ys, false)),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.shiftedImplicit(implicitPoint, xs, ys, true))));
    ts.iJacobian(implicit, implicit, (t, u, uDot, shift, a, p) -> implicitPoint.moveTo(t, shift)); // J is linear
    LinearSolvers.configure(ts.ksp(), linearSolver, false,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.luSolve(implicitPoint, xs, ys, false)),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.luSolve(implicitPoint, xs, ys, true)));

    ts.rhsFunction((t, u, f) -> VecViews.with(u, f, (us, fs) -> ops.explicitValue(t, us, fs)));
    Mat explicit = own(Mat.shell(n, n,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.explicitJvp(explicitPoint, xs, ys)),
        (x, y) -> VecViews.with(x, y, this::explicitTranspose)));
    ts.rhsJacobian(explicit, explicit, (t, u, a, p) -> explicitPoint.moveTo(t, u));
    if (parameterSum != null) {
      return; // no mu: PETSc's adjoint asks for no parameter Jacobian
    }
    Mat explicitParameters = parameterShell(
        (w, out) -> VecViews.with(w, out, (ws, os) -> ops.explicitParameterVjp(explicitParameterPoint, ws, os, false)));
    ts.rhsJacobianP(explicitParameters, (t, u, a) -> explicitParameterPoint.moveTo(t, u));
    Mat implicitParameters = parameterShell(
        (w, out) -> VecViews.with(w, out, (ws, os) -> ops.implicitParameterVjp(implicitParameterPoint, ws, os, false)));
    ts.iJacobianP(implicitParameters, (t, u, uDot, shift, a) -> implicitParameterPoint.moveTo(t, u));
  }

  /**
   * The explicit state VJP; while a Java-summed adjoint runs, its parameter half joins the sum with
   * PETSc's weight for it, the adjoint step h = -(the TS's time step, negative while going back).
   */
  private void explicitTranspose(MemorySegment w, MemorySegment out) {
    if (parameterSum != null && parameterSum.active()) {
      ops.explicitVjpSummed(explicitPoint, w, out, parameterSum.at(-ts.timeStep()));
    } else {
      ops.explicitVjp(explicitPoint, w, out);
    }
  }

  @Override
  ParameterSum javaParameterSum() {
    return parameterSum;
  }

  @Override
  boolean serves(String tsType) {
    return tsType.equals("arkimex");
  }

  @Override
  String alternatives() {
    return "it is wired as ARKIMEX (G explicit, J implicit). Change the tableau with -ts_arkimex_type, or choose another "
        + "method instead of overriding the type: rk4, dopri5 or rk-<type> (explicit), cn, beuler or ts:<type> (implicit)";
  }

  @Override
  int parameterCount() {
    return ops.parameterCount();
  }
}

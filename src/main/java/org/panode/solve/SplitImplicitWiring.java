package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.SplitProblem;
import org.panode.petsc.Mat;

/**
 * A fully implicit method (theta family, or another PETSc type) on du/dt = G(u) + J u: IFunction
 * u' - J u - G(u), shell Jacobian shift*I - J - dG/du at the Newton iterate, Newton-Krylov
 * preconditioned by the LU of shift*I - J (or matrix-free Krylov).
 */
final class SplitImplicitWiring extends Wiring {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  private final SplitOperators ops;
  private final LinearSolver linearSolver;
  private final LinearizationPoint point;
  private final LinearizationPoint parameterPoint;
  private final MemorySegment scratch;

  SplitImplicitWiring(SplitProblem problem, LinearSolver linearSolver, ShiftedSolver lu, int batch, boolean forGradient,
      Counters counters) {
    super(problem.dimension(), batch, forGradient, counters);
    this.ops = new SplitOperators(problem, batch, counters, lu, buffers);
    this.linearSolver = linearSolver;
    this.point = new LinearizationPoint(buffers, n);
    this.parameterPoint = new LinearizationPoint(buffers, n);
    this.scratch = buffers.allocate(8L * n);
  }

  @Override
  void wire(SolverConfig config) {
    ts.type(config.method().petscType()).linearProblem(false);
    ts.iFunction((t, u, uDot, f) -> VecViews.with(u, uDot, f, (us, uds, fs) -> {
      ops.explicitValue(t, us, fs);
      ops.implicitValue(t, us, scratch);
      for (long i = 0; i < n; i++) {
        fs.setAtIndex(D, i, uds.getAtIndex(D, i) - fs.getAtIndex(D, i) - scratch.getAtIndex(D, i));
      }
    }));
    Mat jacobian = own(Mat.shell(n, n,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> {
          ops.explicitJvp(point, xs, scratch);
          ops.shiftedImplicit(point, xs, ys, false);
          ops.subtractFrom(ys, scratch);
        }),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> {
          ops.explicitVjp(point, xs, scratch);
          ops.shiftedImplicit(point, xs, ys, true);
          ops.subtractFrom(ys, scratch);
        })));
    ts.iJacobian(jacobian, jacobian, (t, u, uDot, shift, a, p) -> point.moveTo(t, u, shift));
    LinearSolvers.configure(ts.ksp(), linearSolver, true,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.luSolve(point, xs, ys, false)),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> ops.luSolve(point, xs, ys, true)));
    Mat parameters = parameterShell(
        (w, out) -> VecViews.with(w, out, (ws, os) -> ops.implicitParameterVjp(parameterPoint, ws, os, true)));
    ts.iJacobianP(parameters, (t, u, uDot, shift, a) -> parameterPoint.moveTo(t, u));
  }

  @Override
  boolean serves(String tsType) {
    return !RHS_ONLY_TYPES.contains(tsType);
  }

  @Override
  String alternatives() {
    return "it is wired as a fully implicit method (IFunction only), which explicit types cannot take. Choose an explicit "
        + "method (rk4, dopri5, rk-<type>) or an IMEX one (imex-rk2, ...) as the method instead";
  }

  @Override
  void optionsApplied() {
    zeroRhsParameterJacobianUnlessTheta();
  }

  @Override
  int parameterCount() {
    return ops.parameterCount();
  }
}

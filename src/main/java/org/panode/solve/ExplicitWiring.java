package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.ode.SplitProblem;
import org.panode.petsc.Mat;

/**
 * Explicit Runge-Kutta (PETSc RK) on du/dt = G(u) + J u, all of it on the right-hand side: a shell
 * Jacobian whose products are G's JVP + J and G's VJP + J^T at the state of the step.
 */
final class ExplicitWiring extends Wiring {
  private final SplitOperators ops;
  private final LinearizationPoint point;
  private final LinearizationPoint parameterPoint;
  private final MemorySegment scratch;

  ExplicitWiring(SplitProblem problem, int batch, boolean forGradient, Counters counters) {
    super(problem.dimension(), batch, forGradient, counters);
    this.ops = new SplitOperators(problem, batch, counters, null, buffers);
    this.point = new LinearizationPoint(buffers, n);
    this.parameterPoint = new LinearizationPoint(buffers, n);
    this.scratch = buffers.allocate(8L * n);
  }

  @Override
  void wire(SolverConfig config) {
    ts.rkType(config.method().tableau());
    ts.rhsFunction((t, u, f) -> VecViews.with(u, f, (us, fs) -> {
      ops.explicitValue(t, us, fs);
      ops.implicitValue(t, us, scratch);
      ops.addInto(fs, scratch);
    }));
    Mat jacobian = own(Mat.shell(n, n,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> {
          ops.explicitJvp(point, xs, ys);
          ops.implicitValue(point.time(), xs, scratch);
          ops.addInto(ys, scratch);
        }),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> {
          ops.explicitVjp(point, xs, ys);
          ops.implicitTranspose(point, xs, scratch);
          ops.addInto(ys, scratch);
        })));
    ts.rhsJacobian(jacobian, jacobian, (t, u, a, p) -> point.moveTo(t, u));
    Mat parameters = parameterShell(
        (w, out) -> VecViews.with(w, out, (ws, os) -> ops.explicitParameterVjp(parameterPoint, ws, os, true)));
    ts.rhsJacobianP(parameters, (t, u, a) -> parameterPoint.moveTo(t, u));
  }

  @Override
  boolean serves(String tsType) {
    return tsType.equals("rk") || tsType.equals("euler");
  }

  @Override
  String alternatives() {
    return "it is wired as an explicit method (right-hand side G + J only). Change the tableau with -ts_rk_type, or choose "
        + "an IMEX method (imex-rk2, ...) or an implicit one (cn, beuler, ts:<type>) as the method";
  }

  @Override
  int parameterCount() {
    return ops.parameterCount();
  }
}

package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Term;
import org.panode.petsc.Mat;

/**
 * An implicit method on M u' = f(u): IFunction M u' - f(u), a shell IJacobian shift*M - df/du
 * (products are f's JVP and VJP at the Newton iterate), and a shell dF/dtheta = -df/dtheta for the
 * adjoint. With {@link LinearSolver.DirectLu} (and d at most {@link #MAX_DIRECT}) Newton steps and
 * the adjoint's transposed solves use {@link NewtonBlocks}' exact per-sample LU factors (KSP
 * preonly): matrix-free GMRES on a stiff kinetics matrix (condition numbers near 1/eps in POLLU)
 * left the adjoint 0.36 off finite differences. With {@link LinearSolver.Krylov}, or for larger d,
 * Newton-Krylov without a preconditioner.
 */
final class ImplicitWiring extends Wiring {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** The largest state dimension whose Newton matrix is assembled and factored densely. */
  static final int MAX_DIRECT = 512;

  private final Term f;
  private final double[] mass;
  private final int d;
  private final int p;
  private final LinearSolver linearSolver;
  private final LinearizationPoint point;
  private final LinearizationPoint parameterPoint;

  ImplicitWiring(ImplicitProblem problem, LinearSolver linearSolver, int batch, boolean forGradient, Counters counters) {
    super(problem.dimension(), batch, forGradient, counters);
    this.f = problem.term();
    this.mass = problem.massDiagonal();
    this.d = problem.dimension();
    this.p = f.parameterCount();
    this.linearSolver = linearSolver;
    this.point = new LinearizationPoint(buffers, n);
    this.parameterPoint = new LinearizationPoint(buffers, n);
  }

  private double mass(long i) {
    return mass == null ? 1 : mass[(int) (i % d)];
  }

  @Override
  void wire(SolverConfig config) {
    ts.type(config.method().petscType()).linearProblem(false);
    ts.iFunction((t, u, uDot, out) -> VecViews.with(u, uDot, out, (us, uds, fs) -> {
      f.value(t, us, batch, fs);
      counters.explicitEvaluations++;
      for (long i = 0; i < n; i++) {
        fs.setAtIndex(D, i, mass(i) * uds.getAtIndex(D, i) - fs.getAtIndex(D, i));
      }
    }));
    Mat jacobian = own(Mat.shell(n, n,
        (x, y) -> VecViews.with(x, y, (xs, ys) -> product(xs, ys, false)),
        (x, y) -> VecViews.with(x, y, (xs, ys) -> product(xs, ys, true))));
    ts.iJacobian(jacobian, jacobian, (t, u, uDot, shift, a, pm) -> point.moveTo(t, u, shift));
    var ksp = ts.ksp();
    switch (linearSolver) {
      case LinearSolver.Krylov k -> ksp.type(k.type()).pcType("none").tolerances(k.relativeTolerance(), 1e-50, k.maxIterations());
      case LinearSolver.DirectLu lu when d <= MAX_DIRECT -> {
        NewtonBlocks blocks = own(new NewtonBlocks(f, mass, d, batch, counters, buffers));
        ksp.type("preonly").shellPreconditioner(
            (x, y) -> VecViews.with(x, y, (xs, ys) -> blocks.solve(point, xs, ys, false)),
            (x, y) -> VecViews.with(x, y, (xs, ys) -> blocks.solve(point, xs, ys, true)));
      }
      case LinearSolver.DirectLu lu -> ksp.type("gmres").pcType("none").tolerances(1e-10, 1e-50, 1000);
    }
    Mat parameters = parameterShell((w, out) -> VecViews.with(w, out, (ws, os) -> {
      os.fill((byte) 0);
      if (p > 0) {
        MemorySegment g = os.asSlice(0, 8L * p);
        f.vjpParameters(parameterPoint.time(), parameterPoint.state(), ws, batch, g);
        counters.vjps++;
        for (long i = 0; i < p; i++) {
          g.setAtIndex(D, i, -g.getAtIndex(D, i));
        }
      }
    }));
    ts.iJacobianP(parameters, (t, u, uDot, shift, a) -> parameterPoint.moveTo(t, u));
  }

  /** y = shift M x - (df/du) x, or its transpose. */
  private void product(MemorySegment in, MemorySegment out, boolean transpose) {
    if (transpose) {
      f.vjp(point.time(), point.state(), in, batch, out);
      counters.vjps++;
      counters.explicitEvaluations++;
    } else {
      f.jvp(point.time(), point.state(), in, batch, out);
      counters.jvps++;
    }
    double shift = point.shift();
    for (long i = 0; i < n; i++) {
      out.setAtIndex(D, i, shift * mass(i) * in.getAtIndex(D, i) - out.getAtIndex(D, i));
    }
  }

  @Override
  boolean serves(String tsType) {
    return !RHS_ONLY_TYPES.contains(tsType);
  }

  @Override
  String alternatives() {
    return "an implicit problem has only an IFunction, which explicit types cannot take: use cn, beuler or ts:<implicit type>";
  }

  @Override
  void optionsApplied() {
    zeroRhsParameterJacobianUnlessTheta();
  }

  @Override
  int parameterCount() {
    return p;
  }
}

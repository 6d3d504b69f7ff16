package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.Term;
import org.panode.petsc.Comm;
import org.panode.petsc.DenseLu;
import org.panode.petsc.Mat;
import org.panode.petsc.Ts;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * One PETSc TS wired to M u' = f(u) on a batch: IFunction M u' - f(u), a shell IJacobian
 * shift*M - df/du (products are f's JVP and VJP at the Newton iterate), and a shell
 * dF/dtheta = -df/dtheta for the adjoint. With {@link LinearSolver.DirectLu} (and d at most
 * {@link #MAX_DIRECT}) the Newton matrix of each sample is assembled from d JVPs at every Jacobian
 * evaluation and LU-factored at its first solve; the forward Newton steps and the adjoint's transposed solves use those
 * factors directly (KSP preonly), so both are exact: matrix-free GMRES on a stiff kinetics matrix
 * (condition numbers near 1/eps in POLLU) left the adjoint 0.36 off finite differences. With
 * {@link LinearSolver.Krylov}, or for larger d, Newton-Krylov without a preconditioner.
 */
final class ImplicitTs implements TsWiring {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  private final Term f;
  private final double[] mass;
  private final int d;
  private final int batch;
  private final int n;
  private final int p;
  private final Counters counters;
  private final Arena buffers = Arena.ofConfined();
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final Ts ts;
  private final MemorySegment state;
  private double stateTime;
  private final MemorySegment parameterState;
  private double parameterTime;
  private double shift;
  /** The largest state dimension whose Newton matrix is assembled and factored densely. */
  static final int MAX_DIRECT = 512;
  private DenseLu[] blocks;
  private double[][] blockValues;
  private boolean factorsStale = true;
  private MemorySegment direction;
  private MemorySegment column;

  ImplicitTs(ImplicitProblem problem, Method method, LinearSolver linearSolver, int batch, Counters counters) {
    if (method.kind() != Method.Kind.IMPLICIT) {
      throw new IllegalArgumentException("an implicit problem needs an implicit method (cn, beuler or ts:NAME), not " + method);
    }
    this.f = problem.term();
    this.mass = problem.massDiagonal();
    this.d = problem.dimension();
    this.batch = batch;
    this.n = d * batch;
    this.p = f.parameterCount();
    this.counters = counters;
    this.state = buffers.allocate(D, n);
    this.parameterState = buffers.allocate(D, n);
    this.ts = Ts.create(Comm.self());
    try {
      wire(method, linearSolver);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private double mass(long i) {
    return mass == null ? 1 : mass[(int) (i % d)];
  }

  private void wire(Method method, LinearSolver linearSolver) {
    ts.type(method.petscType()).linearProblem(false);
    ts.iFunction((t, u, uDot, out) -> {
      try (VecArray us = u.readArray(); VecArray uds = uDot.readArray(); VecArray fs = out.array()) {
        f.value(t, us.segment(), batch, fs.segment());
        counters.explicitEvaluations++;
        for (long i = 0; i < n; i++) {
          fs.segment().setAtIndex(D, i, mass(i) * uds.segment().getAtIndex(D, i) - fs.segment().getAtIndex(D, i));
        }
      }
    });
    Mat jacobian = own(Mat.shell(n, n, (x, y) -> product(x, y, false), (x, y) -> product(x, y, true)));
    boolean direct = linearSolver instanceof LinearSolver.DirectLu && d <= MAX_DIRECT;
    ts.iJacobian(jacobian, jacobian, (t, u, uDot, s, a, pm) -> {
      shift = s;
      stateTime = t;
      try (VecArray us = u.readArray()) {
        state.copyFrom(us.segment());
      }
      factorsStale = true; // factored at the first solve: PETSc also evaluates Jacobians only to multiply
    });
    var ksp = ts.ksp();
    switch (linearSolver) {
      case LinearSolver.Krylov k -> ksp.type(k.type()).pcType("none").tolerances(k.relativeTolerance(), 1e-50, k.maxIterations());
      case LinearSolver.DirectLu lu when direct -> {
        blocks = new DenseLu[batch];
        for (int sample = 0; sample < batch; sample++) {
          blocks[sample] = own(new DenseLu(d));
        }
        blockValues = new double[batch][d * d];
        direction = buffers.allocate(D, n);
        column = buffers.allocate(D, n);
        ksp.type("preonly").shellPreconditioner((x, y) -> blockSolve(x, y, false), (x, y) -> blockSolve(x, y, true));
      }
      case LinearSolver.DirectLu lu -> ksp.type("gmres").pcType("none").tolerances(1e-10, 1e-50, 1000);
    }
    Mat parameterJacobian = own(Mat.shell(n, Math.max(1, p), (x, y) -> {
      throw new UnsupportedOperationException("forward parameter sensitivities are not supported; use the adjoint");
    }, (w, out) -> {
      try (VecArray ws = w.readArray(); VecArray os = out.array()) {
        os.segment().fill((byte) 0);
        if (p > 0) {
          MemorySegment g = os.segment().asSlice(0, 8L * p);
          f.vjpParameters(parameterTime, parameterState, ws.segment(), batch, g);
          counters.vjps++;
          for (long i = 0; i < p; i++) {
            g.setAtIndex(D, i, -g.getAtIndex(D, i));
          }
        }
      }
    }));
    ts.iJacobianP(parameterJacobian, (t, u, uDot, s, a) -> {
      parameterTime = t;
      try (VecArray us = u.readArray()) {
        parameterState.copyFrom(us.segment());
      }
    });
  }

  /** Assembles shift M - df/du of every sample at the current state from d JVPs and factors it. */
  private void factorBlocks() {
    double[][] all = blockValues; // row-major per sample, every entry written below
    for (int j = 0; j < d; j++) {
      direction.fill((byte) 0);
      for (int sample = 0; sample < batch; sample++) {
        direction.setAtIndex(D, (long) sample * d + j, 1.0);
      }
      f.jvp(stateTime, state, direction, batch, column);
      counters.jvps++;
      for (int sample = 0; sample < batch; sample++) {
        for (int i = 0; i < d; i++) {
          double value = -column.getAtIndex(D, (long) sample * d + i);
          all[sample][i * d + j] = i == j ? value + shift * mass(i) : value;
        }
      }
    }
    for (int sample = 0; sample < batch; sample++) {
      blocks[sample].factor(all[sample]);
      counters.luFactorizations++;
    }
  }

  /** y = (shift M - df/du)^-1 x per sample, or with the transpose, by the factors. */
  private void blockSolve(Vec x, Vec y, boolean transpose) {
    if (factorsStale) {
      factorBlocks();
      factorsStale = false;
    }
    try (VecArray xs = x.readArray(); VecArray ys = y.array()) {
      ys.segment().copyFrom(xs.segment());
      for (int sample = 0; sample < batch; sample++) {
        blocks[sample].solveInPlace(ys.segment().asSlice(8L * sample * d, 8L * d), 1, transpose);
      }
      counters.linearSolves++;
    }
  }

  /** y = shift M x - (df/du) x, or its transpose. */
  private void product(Vec x, Vec y, boolean transpose) {
    try (VecArray xs = x.readArray(); VecArray ys = y.array()) {
      MemorySegment in = xs.segment(), out = ys.segment();
      if (transpose) {
        f.vjp(stateTime, state, in, batch, out);
        counters.vjps++;
        counters.explicitEvaluations++;
      } else {
        f.jvp(stateTime, state, in, batch, out);
        counters.jvps++;
      }
      for (long i = 0; i < n; i++) {
        out.setAtIndex(D, i, shift * mass(i) * in.getAtIndex(D, i) - out.getAtIndex(D, i));
      }
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  @Override
  public Ts ts() {
    return ts;
  }

  @Override
  public void optionsApplied() {
    TsWiring.zeroRhsParameterJacobianUnlessTheta(ts, n, p, this::own);
  }

  @Override
  public int parameterCount() {
    return p;
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

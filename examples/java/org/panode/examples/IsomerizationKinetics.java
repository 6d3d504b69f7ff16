package org.panode.examples;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import org.panode.ode.DenseLinearTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.ode.Term;
import org.panode.petsc.Petsc;
import org.panode.solve.Gradients;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.solve.Trajectory;

/**
 * A user's own stiff chemistry, no network: a fast reversible isomerization A &lt;-&gt; B (rates 1e4 and
 * 5e3 per second: stiff, linear, treated implicitly) feeding a slow dimerization 2B -> C with rate
 * constant k (nonlinear, explicit). ARKIMEX integrates it at steps 150 times the fast time scale,
 * and TSAdjoint gives the sensitivities of the product C(T) to k and to the initial amounts.
 *
 * <pre>
 *   dA/dt = -kf A + kb B
 *   dB/dt =  kf A - kb B - 2 k B^2
 *   dC/dt =                  k B^2
 * </pre>
 */
public final class IsomerizationKinetics {
  /** Fast isomerization rates (1/s). */
  static final double KF = 1e4, KB = 5e3;

  /** G(u) = [0, -2 k B^2, k B^2] with the rate constant k as its one parameter. */
  public static final class Dimerization implements Term {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private final MemorySegment k = Arena.ofAuto().allocate(D, 1);

    public Dimerization(double rate) {
      k.set(D, 0, rate);
    }

    @Override public int dimension() { return 3; }
    @Override public int parameterCount() { return 1; }
    @Override public MemorySegment parameters() { return k; }

    @Override
    public void value(double t, MemorySegment u, int batch, MemorySegment out) {
      double rate = k.get(D, 0);
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 3L * s + 1);
        out.setAtIndex(D, 3L * s, 0);
        out.setAtIndex(D, 3L * s + 1, -2 * rate * b * b);
        out.setAtIndex(D, 3L * s + 2, rate * b * b);
      }
    }

    @Override
    public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
      double rate = k.get(D, 0);
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 3L * s + 1), vb = v.getAtIndex(D, 3L * s + 1);
        out.setAtIndex(D, 3L * s, 0);
        out.setAtIndex(D, 3L * s + 1, -4 * rate * b * vb);
        out.setAtIndex(D, 3L * s + 2, 2 * rate * b * vb);
      }
    }

    @Override
    public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
      double rate = k.get(D, 0);
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 3L * s + 1);
        double wb = w.getAtIndex(D, 3L * s + 1), wc = w.getAtIndex(D, 3L * s + 2);
        out.setAtIndex(D, 3L * s, 0);
        out.setAtIndex(D, 3L * s + 1, 2 * rate * b * (wc - 2 * wb));
        out.setAtIndex(D, 3L * s + 2, 0);
      }
    }

    @Override
    public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
      double sum = 0;
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 3L * s + 1);
        sum += b * b * (w.getAtIndex(D, 3L * s + 2) - 2 * w.getAtIndex(D, 3L * s + 1));
      }
      gradient.set(D, 0, gradient.get(D, 0) + sum);
    }
  }

  /** The problem with rate constant k: the isomerization implicit, the dimerization explicit. */
  public static SplitProblem problem(double k) {
    double[] isomerization = {
      -KF, KB, 0,
      KF, -KB, 0,
      0, 0, 0};
    return new SplitProblem(new Dimerization(k), new DenseLinearTerm(isomerization, 3, false));
  }

  /** C(T) and its gradient: dC(T)/d[k] and dC(T)/d[A0, B0, C0]. */
  public record Result(double product, double dProductDk, double[] dProductDu0, long steps) {}

  public static Result solve(double k, double[] u0, double endTime, double step) {
    SplitProblem problem = problem(k);
    SolverConfig config = SolverConfig.of(Method.parse("imex-rk3"), StepControl.fixed(step));
    try (Trajectory trajectory = Solver.solve(problem, config, u0, 1, SaveAt.times(endTime))) {
      double[] end = trajectory.state(0);
      // L = C(T): dL/du(T) = [0, 0, 1].
      Gradients g = trajectory.gradient(new double[][] {{0, 0, 1}});
      return new Result(end[2], g.parameters()[0], g.initialState(), trajectory.costs().steps());
    }
  }

  public static void main(String[] args) {
    double k = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    double[] u0 = {1.0, 0.0, 0.0};
    try (Petsc petsc = Petsc.initialize(args)) {
      Result r = solve(k, u0, 1.0, 0.01);
      double h = 1e-6 * k;
      double fd = (solve(k + h, u0, 1.0, 0.01).product() - solve(k - h, u0, 1.0, 0.01).product()) / (2 * h);
      System.out.printf(Locale.ROOT, "C(1) = %.10f after %d imex-rk3 steps of 0.01 (fast time scale 1/(kf + kb) = %.1e)%n",
          r.product(), r.steps(), 1 / (KF + KB));
      System.out.printf(Locale.ROOT, "dC/dk = %.10f (adjoint), %.10f (central differences)%n", r.dProductDk(), fd);
      System.out.printf(Locale.ROOT, "dC/d[A0, B0, C0] = [%.6f, %.6f, %.6f]%n", r.dProductDu0()[0], r.dProductDu0()[1],
          r.dProductDu0()[2]);
    }
  }
}

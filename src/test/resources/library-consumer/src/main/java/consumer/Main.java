package consumer;

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
import org.panode.petsc.Ksp;
import org.panode.petsc.Mat;
import org.panode.petsc.Petsc;
import org.panode.petsc.Vec;
import org.panode.solve.Gradients;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.solve.Trajectory;

/**
 * A user's own stiff ODE: u1 relaxes fast onto u2 (rate 1000, implicit), u2 decays as -p u2^2
 * (explicit, parameter p). Prints u1(1), dL/dp of L = u1(1) by the adjoint and by central
 * differences, and the solution of a 3x3 linear system by KSP.
 */
public final class Main {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  /** G(u) = [0, -p u2^2]. */
  static final class Decay implements Term {
    private final MemorySegment p = Arena.ofAuto().allocate(D, 1);

    Decay(double rate) { p.set(D, 0, rate); }

    @Override public int dimension() { return 2; }
    @Override public int parameterCount() { return 1; }
    @Override public MemorySegment parameters() { return p; }

    @Override public void value(double t, MemorySegment u, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 2L * s + 1);
        out.setAtIndex(D, 2L * s, 0);
        out.setAtIndex(D, 2L * s + 1, -p.get(D, 0) * b * b);
      }
    }

    @Override public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        out.setAtIndex(D, 2L * s, 0);
        out.setAtIndex(D, 2L * s + 1, -2 * p.get(D, 0) * u.getAtIndex(D, 2L * s + 1) * v.getAtIndex(D, 2L * s + 1));
      }
    }

    @Override public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        out.setAtIndex(D, 2L * s, 0);
        out.setAtIndex(D, 2L * s + 1, -2 * p.get(D, 0) * u.getAtIndex(D, 2L * s + 1) * w.getAtIndex(D, 2L * s + 1));
      }
    }

    @Override public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment g) {
      double sum = 0;
      for (int s = 0; s < batch; s++) {
        double b = u.getAtIndex(D, 2L * s + 1);
        sum -= b * b * w.getAtIndex(D, 2L * s + 1);
      }
      g.set(D, 0, g.get(D, 0) + sum);
    }
  }

  /** L = u1(1) and its gradient dL/dp. */
  static double[] solve(double p) {
    double[] fast = {-1000, 1000, 0, 0};
    var problem = new SplitProblem(new Decay(p), new DenseLinearTerm(fast, 2, false));
    var config = SolverConfig.of(Method.parse("arkimex-3"), StepControl.fixed(0.01));
    try (Trajectory tr = Solver.solve(problem, config, new double[] {1, 1}, 1, SaveAt.times(1.0))) {
      double loss = tr.state(0)[0];
      Gradients g = tr.gradient(new double[][] {{1, 0}});
      return new double[] {loss, g.parameters()[0]};
    }
  }

  public static void main(String[] args) {
    try (Petsc petsc = Petsc.initialize(args)) {
      double p = 1.0, h = 1e-6;
      double[] r = solve(p);
      double fd = (solve(p + h)[0] - solve(p - h)[0]) / (2 * h);
      System.out.printf(Locale.ROOT, "u1(1) %.12f%n", r[0]);
      System.out.printf(Locale.ROOT, "dL/dp adjoint %.12f fd %.12f%n", r[1], fd);
      try (Mat a = Mat.dense(3, 3).setAll(new double[] {4, 1, 0, 1, 4, 1, 0, 1, 4}).assemble();
           Vec b = Vec.of(1, 2, 3);
           Vec x = b.duplicate();
           Ksp ksp = Ksp.create(org.panode.petsc.Comm.self()).operators(a, a).type("gmres").pcType("jacobi")
               .tolerances(1e-12, 1e-14, 100)) {
        ksp.solve(b, x);
        double[] v = x.toArray();
        System.out.printf(Locale.ROOT, "ksp x %.12f %.12f %.12f iterations %d%n", v[0], v[1], v[2], ksp.iterations());
      }
    } catch (IllegalStateException e) {
      System.err.println("consumer: " + e.getMessage());
      System.exit(2);
    }
  }
}

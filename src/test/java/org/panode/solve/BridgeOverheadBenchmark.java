package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.ode.Term;
import org.panode.petsc.Petsc;

/**
 * Per-step overhead of the bridge: a KSE-sized problem (d = 64, batch 256, 5-point stencil J) whose
 * explicit term costs nothing, so the time per step is PETSc + upcalls + the LU solves + J
 * applications. Reported next to the time the LU solves and J applications take by themselves.
 * Run: see docs/benchmarks.md.
 */
public final class BridgeOverheadBenchmark {
  /** G = 0: no work, no parameters. */
  static final class ZeroTerm implements Term {
    private final int d;

    ZeroTerm(int d) {
      this.d = d;
    }

    @Override public int dimension() { return d; }
    @Override public int parameterCount() { return 0; }
    @Override public MemorySegment parameters() { return MemorySegment.ofArray(new double[0]); }
    @Override public void value(double t, MemorySegment u, int batch, MemorySegment out) { out.asSlice(0, 8L * batch * d).fill((byte) 0); }
    @Override public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) { value(t, u, batch, out); }
    @Override public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) { value(t, u, batch, out); }
    @Override public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {}
  }

  public static void main(String[] args) {
    int d = 64, batch = args.length > 0 ? Integer.parseInt(args[0]) : 256, steps = 100, repeats = 7;
    try (Petsc petsc = Petsc.initialize()) {
      var problem = new SplitProblem(new ZeroTerm(d), new CircularStencilTerm(CircularStencilTerm.kuramotoSivashinskyStencil(22.0 / d), d, false));
      double[] u0 = new double[batch * d];
      Arrays.setAll(u0, i -> Math.sin(0.1 * i));
      double[] times = {steps * 0.2};
      double[][] dLdu = {u0.clone()};
      double[] forward = new double[repeats], adjoint = new double[repeats];
      long solves = 0, applications = 0;
      try (var ode = NeuralOde.of(problem, Method.parse("imex-rk2"), StepControl.fixed(0.2))) {
        for (int r = 0; r < repeats; r++) {
          var s = ode.solve(u0, batch, 0, times, true);
          var g = ode.gradient(dLdu);
          forward[r] = s.costs().seconds() / steps;
          adjoint[r] = g.costs().seconds() / steps;
          solves = s.costs().linearSolves() + g.costs().linearSolves();
          applications = s.costs().implicitApplications() + g.costs().implicitApplications();
        }
      }
      // The same LU solves and J applications without PETSc around them.
      var lu = new ShiftedLu(problem.implicit(), new Counters());
      MemorySegment x = MemorySegment.ofArray(u0.clone()), y = MemorySegment.ofArray(new double[batch * d]);
      var native_ = java.lang.foreign.Arena.ofAuto().allocate(8L * batch * d);
      native_.copyFrom(x);
      lu.prepare(5.0);
      double[] kernels = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (long i = 0; i < solves; i++) {
          lu.solveInPlace(native_, batch, false);
        }
        for (long i = 0; i < applications; i++) {
          problem.implicit().value(0, x, batch, y);
        }
        kernels[r] = (System.nanoTime() - t0) / 1e9 / steps;
      }
      lu.close();
      double f = median(forward), a = median(adjoint), k = median(kernels);
      System.out.printf(Locale.ROOT, "d=%d batch=%d imex-rk2, %d steps: forward %.1f us/step, adjoint %.1f us/step; "
          + "LU solves + J applications alone %.1f us/step; bridge overhead %.1f us/step (%.0f%%)%n",
          d, batch, steps, f * 1e6, a * 1e6, k * 1e6, (f + a - k) * 1e6, 100 * (f + a - k) / (f + a));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

package org.panode.solve;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.ode.Term;
import org.panode.petsc.Petsc;

/**
 * Per-step overhead of the bridge: a KSE-sized problem (d = 64, batch 256, 5-point stencil J) whose
 * explicit term costs nothing, so the time per step is PETSc + upcalls + the shifted solves + J
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
    int d = 64, batch = args.length > 0 ? Integer.parseInt(args[0]) : 256, steps = 50, repeats = 7;
    try (Petsc petsc = Petsc.initialize()) {
      var stencil = new CircularStencilTerm(CircularStencilTerm.kuramotoSivashinskyStencil(22.0 / d), d, false);
      double[] u0 = new double[batch * d];
      Arrays.setAll(u0, i -> Math.sin(0.1 * i));
      var zero = new SplitProblem(new ZeroTerm(d), stencil);
      double[] bridge = stepSeconds(zero, u0, batch, steps, repeats);
      var network = Network.mlp(d, new int[] {200, 200, 200, 200}, d, Activation.RELU, 1, 0.01);
      double[] full = stepSeconds(new SplitProblem(network, stencil), u0, batch, steps, repeats);
      // The LU solves and J applications of those steps by themselves (warmed up, then timed).
      long solves = (long) bridge[2], applications = (long) bridge[3];
      var lu = ShiftedSolver.forTerm(stencil, new Counters()); // what the Solver uses for this J
      var x = java.lang.foreign.Arena.ofAuto().allocate(8L * batch * d);
      var y = java.lang.foreign.Arena.ofAuto().allocate(8L * batch * d);
      x.copyFrom(MemorySegment.ofArray(u0));
      lu.prepare(5.0);
      double[] kernels = new double[repeats + 2];
      for (int r = 0; r < kernels.length; r++) {
        long t0 = System.nanoTime();
        for (long i = 0; i < solves; i++) {
          lu.solveInPlace(x, batch, false);
        }
        for (long i = 0; i < applications; i++) {
          stencil.value(0, x, batch, y);
        }
        kernels[r] = (System.nanoTime() - t0) / 1e9 / steps;
      }
      lu.close();
      double k = median(Arrays.copyOfRange(kernels, 2, kernels.length));
      double overhead = bridge[0] - k;
      System.out.printf(Locale.ROOT, "d=%d batch=%d imex-rk2 (forward + adjoint per step): G = 0: %.0f us, of which LU solves + J "
          + "applications %.0f us, bridge (PETSc + upcalls + copies) %.0f us; with the KSE MLP 64-200x4-64: %.0f us, "
          + "bridge share %.1f%%%n", d, batch, bridge[0] * 1e6, k * 1e6, overhead * 1e6, full[0] * 1e6, 100 * overhead / full[0]);
    }
  }

  /** Median seconds per step (forward + adjoint), and the linear solves and J applications per run. */
  private static double[] stepSeconds(SplitProblem problem, double[] u0, int batch, int steps, int repeats) {
    double[] perStep = new double[repeats];
    long solves = 0, applications = 0;
    try (var ode = Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.2)))) {
      for (int r = -2; r < repeats; r++) { // two warm-up runs
        org.panode.ode.PhaseCosts sc;
        Gradients g;
        try (var s = ode.solveForGradient(u0, batch, org.panode.ode.SaveAt.times(steps * 0.2))) {
          sc = s.costs();
          g = s.gradient(new double[][] {u0});
        }
        if (r >= 0) {
          perStep[r] = (sc.seconds() + g.costs().seconds()) / steps;
        }
        solves = sc.linearSolves() + g.costs().linearSolves();
        applications = sc.implicitApplications() + g.costs().implicitApplications();
      }
    }
    return new double[] {median(perStep), 0, solves, applications};
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

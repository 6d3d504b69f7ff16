package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import org.panode.ode.CircularStencilTerm;
import org.panode.petsc.Petsc;

/**
 * One IMEX stage solve (shift * I - J)^-1 on a whole batch: dense LU, FFT, GEMM with the inverse and
 * the banded LDL^T, for the paper's periodic stencils: KSE (5-point) at d = 64 and 512, diffusion
 * (Burgers, 3-point) at d = 512 and 1024. Also the set-up (LU factorization / FFT eigenvalues /
 * inverse / banded factor) that is redone when J or the shift changes.
 * A call is what SplitTs does per stage: copy the right-hand side, solve in place. Prints medians. Arguments: sizes (default 64 512 1024), then -batch N (default 256).
 * Run: see docs/benchmarks.md. Not a test: timings are noisy on a shared machine.
 */
public final class ShiftedSolveBenchmark {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  public static void main(String[] args) {
    int batch = 256;
    var sizes = new java.util.ArrayList<Integer>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-batch")) {
        batch = Integer.parseInt(args[++i]);
      } else {
        sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes.addAll(java.util.List.of(64, 512, 1024));
    }
    try (Petsc petsc = Petsc.initialize()) {
      System.out.printf("batch %d; times are medians per call (one call solves the whole batch)%n", batch);
      System.out.printf("%6s %10s %12s %12s %12s %12s %8s %8s %9s %12s %12s %12s %12s%n", "d", "stencil", "LU solve",
          "FFT solve", "GEMM solve", "banded", "LU/FFT", "FFT/GEMM", "FFT/band", "LU factor", "FFT eigen", "GEMM inv",
          "band LDL");
      for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up on every size
        for (int d : sizes) {
          for (boolean kse : new boolean[] {true, false}) {
            if (kse ? d > 512 : d < 512) {
              continue; // KSE at 64 and 512, diffusion (Burgers) at 512 and 1024
            }
            var term = new CircularStencilTerm(kse
                ? CircularStencilTerm.kuramotoSivashinskyStencil(22.0 / d)
                : CircularStencilTerm.diffusionStencil(0.01, 1.0 / d), d, false);
            double shift = kse ? 1 / (0.2 * 0.2928932) : 1 / (0.05 * 0.2928932); // 1/(h a_ii) of ARKIMEX l2
            double[] lu = time(new ShiftedLu(term, new Counters()), term, shift, d, batch);
            double[] fft = time(new ShiftedFft(term, new Counters()), term, shift, d, batch);
            double[] gemm = time(new ShiftedCirculantGemm(term, new Counters()), term, shift, d, batch);
            double[] band = time(new ShiftedBandedCirculant(term, new Counters()), term, shift, d, batch);
            if (pass == 0) {
              continue;
            }
            System.out.printf(Locale.ROOT,
                "%6d %10s %9.1f us %9.1f us %9.1f us %9.1f us %7.1fx %7.2fx %8.2fx %9.1f us %9.1f us %9.1f us %9.1f us%n", d,
                kse ? "KSE" : "diffusion", lu[0] * 1e6, fft[0] * 1e6, gemm[0] * 1e6, band[0] * 1e6, lu[0] / fft[0],
                fft[0] / gemm[0], fft[0] / band[0], lu[1] * 1e6, fft[1] * 1e6, gemm[1] * 1e6, band[1] * 1e6);
          }
        }
      }
    }
  }

  /** {median seconds per batch solve, median seconds per set-up}. */
  private static double[] time(ShiftedSolver solver, CircularStencilTerm term, double shift, int d, int batch) {
    try (solver; Arena arena = Arena.ofConfined()) {
      MemorySegment x = arena.allocate(D, (long) batch * d), y = arena.allocate(D, (long) batch * d);
      for (long i = 0; i < (long) batch * d; i++) {
        x.setAtIndex(D, i, Math.sin(0.37 * i));
      }
      int repeats = 15;
      double[] setup = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        double s = shift * (1 + 1e-6 * (r + 1)); // a changed shift: redo the set-up
        long t0 = System.nanoTime();
        solver.prepare(s);
        setup[r] = (System.nanoTime() - t0) / 1e9;
      }
      solver.prepare(shift);
      long probe = System.nanoTime();
      for (int c = 0; c < 3; c++) {
        y.copyFrom(x);
        solver.solveInPlace(y, batch, false);
      }
      // about 0.1 s per repeat, whatever the solver's speed (enough calls for the JIT to settle)
      int calls = (int) Math.max(5, Math.min(100_000, 0.1e9 * 3 / Math.max(1, System.nanoTime() - probe)));
      double[] solve = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
          // as SplitTs does a stage solve: copy the right-hand side, solve in place; alternating
          // directions times the adjoint's transposed solves too
          y.copyFrom(x);
          solver.solveInPlace(y, batch, (c & 1) == 1);
        }
        solve[r] = (System.nanoTime() - t0) / 1e9 / calls;
      }
      return new double[] {median(solve), median(setup)};
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

package org.panode.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.SplittableRandom;
import org.panode.nn.BatchThreads;
import org.panode.nn.BlasProfile;
import org.panode.nn.BlasThreads;
import org.panode.ode.Term;

/**
 * The lines {@code ./panode train} prints on stderr when BLAS calls are timed ({@link BlasProfile}):
 * per epoch, its time, the share inside the layers' BLAS and the GFLOP rates; at the end, a dgemm
 * timed in the same process, the limit to compare the rates with, and the network alone at the
 * training batch, the most its GEMMs do on these threads without the solver around them.
 */
final class BlasReport {
  private BlasReport() {}

  /**
   * luEquivalentFlops: what the epoch's linear solves would cost as a dense LU's two triangular
   * solves, 2 d^2 per right-hand side, as the PyTorch reference does them (Panode's banded and FFT
   * solves do fewer FLOPs, its circulant inverse by GEMM as many). The last rate counts the network's GEMMs
   * and these: the epoch's work as the model defines it, whatever the solver.
   */
  static void epoch(int epoch, double seconds, BlasProfile.Totals t, double luEquivalentFlops) {
    System.err.printf(Locale.ROOT,
        "blas-profile: epoch %d %.4f s, in BLAS %.4f s (%.1f %% of %d thread(s)' time), %d GEMMs, %.2f GFLOP,"
            + " %.1f GFLOP/s inside the GEMMs, %.1f GFLOP/s over the epoch;"
            + " with the solves as dense LU (%.2f GFLOP): %.1f GFLOP/s%n",
        epoch, seconds, t.blasSeconds(), 100 * t.blasSeconds() / (seconds * BatchThreads.get()), BatchThreads.get(),
        t.gemmCalls(), t.gemmFlops() * 1e-9, t.gemmGflops(), t.gemmFlops() * 1e-9 / seconds, luEquivalentFlops * 1e-9,
        (t.gemmFlops() - t.solveGemmFlops() + luEquivalentFlops) * 1e-9 / seconds);
    threads("epoch " + epoch, seconds, t);
  }

  /**
   * Where the batch threads' time went besides BLAS: the share of the wall time in parallel parts
   * (outside them one thread works and the others idle), and inside them the threads' waiting for
   * the slowest one, as a share of all threads' time.
   */
  private static void threads(String what, double seconds, BlasProfile.Totals t) {
    int threads = BatchThreads.get();
    if (threads > 1) {
      System.err.printf(Locale.ROOT,
          "blas-profile: %s on %d batch threads: parallel parts %.1f %% of the time; waiting in them for the slowest"
              + " thread %.1f %% of the threads' time%n",
          what, threads, 100 * t.parallelNanos() * 1e-9 / seconds, 100 * t.parallelWaitNanos() * 1e-9 / (seconds * threads));
    }
  }

  /** A dgemm at the end of the run, the limit the epochs' rates are compared with. */
  static void reference() {
    System.err.printf(Locale.ROOT, "blas-profile: dgemm %d^3 in this process: %.1f GFLOP/s (best of 5)%n", DGEMM_SIZE,
        dgemmOnTheEpochsCores(5));
  }

  private static final int DGEMM_SIZE = 2000;

  /**
   * The epoch's rates (as {@link #epoch} prints them) as shares of a dgemm timed right after it:
   * the machine's speed drifts within minutes, so a dgemm at the end of the run can be faster or
   * slower than the cores were during an epoch. With batch threads the dgemm is split over them by
   * rows (OpenBLAS's pool, once used, would spin into the next epoch).
   */
  static void againstDgemm(int epoch, double seconds, BlasProfile.Totals t, double luEquivalentFlops) {
    double dgemm;
    try {
      dgemm = BatchThreads.get() > 1 ? BlasProfile.dgemmGflopsOnBatchThreads(DGEMM_SIZE, 3) : dgemmOnTheEpochsCores(3);
    } catch (RuntimeException | OutOfMemoryError e) {
      // a diagnostic (96 MB of matrices): its failure must not stop the training
      System.err.println("blas-profile: epoch " + epoch + ": the dgemm after it could not be timed: " + e);
      return;
    }
    double gemms = t.gemmFlops() * 1e-9 / seconds;
    double asLu = (t.gemmFlops() - t.solveGemmFlops() + luEquivalentFlops) * 1e-9 / seconds;
    System.err.printf(Locale.ROOT,
        "blas-profile: epoch %d against a dgemm %d^3 right after it (%.1f GFLOP/s, best of 3): its GEMMs %.1f %%,"
            + " with the solves as dense LU %.1f %%%n",
        epoch, DGEMM_SIZE, dgemm, 100 * gemms / dgemm, 100 * asLu / dgemm);
  }

  /** A dgemm's best GFLOP/s on as many cores as the epoch used: OpenBLAS's threads, or as many as Panode's batch threads. */
  private static double dgemmOnTheEpochsCores(int repeats) {
    int pool = BatchThreads.get();
    if (pool > 1) {
      BlasThreads.set(pool);
    }
    try {
      return BlasProfile.dgemmGflops(DGEMM_SIZE, DGEMM_SIZE, DGEMM_SIZE, repeats);
    } finally {
      if (pool > 1) {
        BlasThreads.set(1);
      }
    }
  }

  /** States per pseudo-solve of the probe below: each is evaluated, then differentiated in reverse order. */
  private static final int PROBE_STATES = 8;

  /**
   * The explicit term (the network) alone at the training batch, called as a solve and its adjoint
   * call it: values at 8 states with forward passes remembered, then at each state, in reverse,
   * one VJP to both the state and the parameters; repeated for about {@code seconds} after a
   * warm-up of the same length. Prints its share in BLAS and its GEMMs' rate: what the epoch's
   * GEMMs could reach with no solver work around them.
   */
  static void termAlone(Term term, int batch, double seconds) {
    try {
      timeTermAlone(term, batch, seconds);
    } catch (RuntimeException | OutOfMemoryError e) {
      // a diagnostic: its failure must not cost the finished run its outputs, which are written after it
      System.err.println("blas-profile: the network alone could not be timed: " + e);
    }
  }

  private static void timeTermAlone(Term term, int batch, double seconds) {
    int d = term.dimension();
    long bytes = 8L * batch * d;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment[] u = new MemorySegment[PROBE_STATES];
      MemorySegment w = arena.allocate(bytes, 64), out = arena.allocate(bytes, 64), value = arena.allocate(bytes, 64);
      MemorySegment gradient = arena.allocate(8L * Math.max(1, term.parameterCount()), 64);
      SplittableRandom random = new SplittableRandom(1);
      for (int k = 0; k < PROBE_STATES; k++) {
        u[k] = arena.allocate(bytes, 64);
        fill(u[k], random);
      }
      fill(w, random);
      solves(term, u, w, value, out, gradient, batch, seconds); // warm-up: the JIT and the caches
      BlasProfile.Totals before = BlasProfile.totals();
      long start = System.nanoTime();
      int solves = solves(term, u, w, value, out, gradient, batch, seconds);
      double wall = (System.nanoTime() - start) * 1e-9;
      BlasProfile.Totals t = BlasProfile.totals().since(before);
      System.err.printf(Locale.ROOT,
          "blas-profile: the network alone, batch %d, %d x %d values and VJPs: %.4f s, in BLAS %.1f %% of %d thread(s)' time,"
              + " %.1f GFLOP/s inside the GEMMs, %.1f GFLOP/s over its time%n",
          batch, solves, PROBE_STATES, wall, 100 * t.blasSeconds() / (wall * BatchThreads.get()), BatchThreads.get(),
          t.gemmGflops(), t.gemmFlops() * 1e-9 / wall);
      threads("the network alone", wall, t);
    }
  }

  private static void fill(MemorySegment s, SplittableRandom random) {
    for (long i = 0; i < s.byteSize() / 8; i++) {
      s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextDouble(-1, 1));
    }
  }

  private static int solves(Term term, MemorySegment[] u, MemorySegment w, MemorySegment value, MemorySegment out,
      MemorySegment gradient, int batch, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int solves = 0;
    do {
      term.rememberEvaluations(true);
      try {
        for (MemorySegment state : u) {
          term.value(0, state, batch, value);
        }
        for (int k = u.length - 1; k >= 0; k--) {
          term.vjpBoth(0, u[k], w, batch, out, gradient);
        }
      } finally {
        term.rememberEvaluations(false);
      }
      solves++;
    } while (System.nanoTime() < end);
    return solves;
  }
}

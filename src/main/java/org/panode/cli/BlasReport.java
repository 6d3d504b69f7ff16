package org.panode.cli;

import java.util.Locale;
import org.panode.nn.BatchThreads;
import org.panode.nn.BlasProfile;
import org.panode.nn.BlasThreads;

/**
 * The lines {@code ./panode train} prints on stderr when BLAS calls are timed ({@link BlasProfile}):
 * per epoch, its time, the share inside the layers' BLAS and the GFLOP rates; at the end, a dgemm
 * timed in the same process, the limit to compare the rates with.
 */
final class BlasReport {
  private BlasReport() {}

  /**
   * luEquivalentFlops: what the epoch's linear solves would cost as a dense LU's two triangular
   * solves, 2 d^2 per right-hand side, as the PyTorch reference does them (Panode's FFT solves do
   * fewer FLOPs, its circulant inverse by GEMM as many). The last rate counts the network's GEMMs
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
  }

  /** A dgemm on as many cores as the epoch used: OpenBLAS's threads, or as many as Panode's batch threads. */
  static void reference() {
    int n = 2000;
    int pool = BatchThreads.get();
    if (pool > 1) {
      BlasThreads.set(pool);
    }
    try {
      System.err.printf(Locale.ROOT, "blas-profile: dgemm %d^3 in this process: %.1f GFLOP/s (best of 5)%n", n,
          BlasProfile.dgemmGflops(n, n, n, 5));
    } finally {
      if (pool > 1) {
        BlasThreads.set(1);
      }
    }
  }
}

package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time and FLOPs inside the layers' BLAS calls, for benchmarks: on only with the system
 * property {@code panode.blas.profile=true} (e.g. {@code PANODE_JAVA_OPTS=-Dpanode.blas.profile=true
 * ./panode train ...}), when {@code ./panode train} prints each epoch's share spent in BLAS and the
 * GEMM rate, and at the end a dgemm of the same library timed in the same process. Off, the timing
 * code is folded away by the JIT compiler (a static final flag).
 */
public final class BlasProfile {
  /** Whether BLAS calls are timed in this process. */
  public static final boolean ON = Boolean.getBoolean("panode.blas.profile");

  private static final LongAdder GEMM_NANOS = new LongAdder();
  private static final LongAdder GEMM_FLOPS = new LongAdder();
  private static final LongAdder GEMM_CALLS = new LongAdder();
  private static final LongAdder GEMV_NANOS = new LongAdder();
  private static final LongAdder SOLVE_FLOPS = new LongAdder();
  private static final LongAdder PARALLEL_NANOS = new LongAdder();
  private static final LongAdder PARALLEL_WAIT_NANOS = new LongAdder();

  private BlasProfile() {}

  /**
   * Totals since the process started: GEMM calls, their nanoseconds and FLOPs, GEMV nanoseconds, and
   * how many of the GEMM FLOPs were linear solves (a circulant's inverse applied by GEMM); and the
   * batch threads' parallel parts ({@link BatchThreads#run}): their wall nanoseconds, and the
   * nanoseconds threads spent in them waiting for the others to finish (summed over threads).
   */
  public record Totals(long gemmCalls, long gemmNanos, long gemmFlops, long gemvNanos, long solveGemmFlops,
      long parallelNanos, long parallelWaitNanos) {
    /** What happened between earlier and this. */
    public Totals since(Totals earlier) {
      return new Totals(gemmCalls - earlier.gemmCalls, gemmNanos - earlier.gemmNanos, gemmFlops - earlier.gemmFlops,
          gemvNanos - earlier.gemvNanos, solveGemmFlops - earlier.solveGemmFlops, parallelNanos - earlier.parallelNanos,
          parallelWaitNanos - earlier.parallelWaitNanos);
    }

    /** Seconds inside GEMM and GEMV. */
    public double blasSeconds() {
      return (gemmNanos + gemvNanos) * 1e-9;
    }

    /** The GEMMs' rate inside the calls, GFLOP/s. */
    public double gemmGflops() {
      return gemmNanos == 0 ? 0 : (double) gemmFlops / gemmNanos;
    }
  }

  /** The totals so far (zeros when off). */
  public static Totals totals() {
    return new Totals(GEMM_CALLS.sum(), GEMM_NANOS.sum(), GEMM_FLOPS.sum(), GEMV_NANOS.sum(), SOLVE_FLOPS.sum(),
        PARALLEL_NANOS.sum(), PARALLEL_WAIT_NANOS.sum());
  }

  /** Marks the FLOPs of a GEMM just timed as a linear solve's (when on). */
  public static void solveGemm(int m, int n, int k) {
    if (ON) {
      SOLVE_FLOPS.add(2L * m * n * k);
    }
  }

  static void gemm(int m, int n, int k, long nanos) {
    GEMM_CALLS.increment();
    GEMM_NANOS.add(nanos);
    GEMM_FLOPS.add(2L * m * n * k);
  }

  static void gemv(long nanos) {
    GEMV_NANOS.add(nanos);
  }

  /** One parallel part of the batch threads: its wall time, and the time its threads waited for the last one. */
  static void parallelPart(long nanos, long waitNanos) {
    PARALLEL_NANOS.add(nanos);
    PARALLEL_WAIT_NANOS.add(waitNanos);
  }

  /**
   * The best GFLOP/s of {@code repeats} row-major m x k times k x n dgemms through the same BLAS and
   * thread pool as the layers: the reference an epoch's rate is compared with.
   */
  public static double dgemmGflops(int m, int n, int k, int repeats) {
    return dgemmGflops(m, n, k, repeats, 1);
  }

  /**
   * The same n x n x n dgemm split by rows over Panode's batch threads, each calling BLAS at one
   * thread as the network's row blocks do: the cores as an epoch uses them, with OpenBLAS's own pool
   * idle (its threads would still spin into the next epoch after a multi-threaded call).
   */
  public static double dgemmGflopsOnBatchThreads(int n, int repeats) {
    return dgemmGflops(n, n, n, repeats, BatchThreads.get());
  }

  /** The best of repeats dgemms, each split by rows into parts on the batch threads (1: in this thread). */
  private static double dgemmGflops(int m, int n, int k, int repeats, int parts) {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment a = arena.allocate(8L * m * k, 64), b = arena.allocate(8L * k * n, 64), c = arena.allocate(8L * m * n, 64);
      for (long i = 0; i < (long) m * k; i++) {
        a.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (i % 7) * 0.1);
      }
      for (long i = 0; i < (long) k * n; i++) {
        b.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (i % 5) * 0.1);
      }
      long best = Long.MAX_VALUE;
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        BatchThreads.run(parts, p -> {
          int lo = (int) ((long) m * p / parts), rows = (int) ((long) m * (p + 1) / parts) - lo;
          Blas.gemm(false, false, rows, n, k, 1, a.asSlice(8L * lo * k), k, b, n, 0, c.asSlice(8L * lo * n), n);
        });
        best = Math.min(best, System.nanoTime() - t0);
      }
      return 2.0 * m * n * k / best;
    }
  }
}

package org.panode.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.panode.nn.BatchThreads;
import org.panode.nn.BlasThreads;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;
import org.panode.train.GradientReduction;

/**
 * The MPI ranks a command runs on (one without mpirun): rank 0 alone writes files and draws
 * progress. Each process computes on one pool: Panode's batch threads ({@link BatchThreads}, BLAS
 * at one thread) by default, one thread per rank when there are several; or, when asked,
 * OpenBLAS's own threads with Panode's pool at one.
 */
final class Ranks {
  final GradientReduction reduction;
  final int threads; // Panode's batch threads
  final int blasThreads; // 0: left as OpenBLAS chose

  private Ranks(GradientReduction reduction, int threads, int blasThreads) {
    this.reduction = reduction;
    this.threads = threads;
    this.blasThreads = blasThreads;
  }

  /**
   * The ranks of PETSc's world (initialising PETSc), with the threads set: {@code blasThreads}
   * given, OpenBLAS's pool that size and Panode's at 1; else Panode's pool at {@code threads} if
   * given, else 1 under MPI, else {@link BatchThreads#configured()}.
   */
  static Ranks start(Integer threads, Integer blasThreads) {
    RunOptions.petsc();
    GradientReduction r = GradientReduction.over(Comm.world());
    if (blasThreads != null) {
      BatchThreads.set(1);
      BlasThreads.set(blasThreads);
      return new Ranks(r, 1, blasThreads);
    }
    int t = threads != null ? threads : r.size() > 1 ? 1 : BatchThreads.configured();
    BatchThreads.set(t);
    if (t == 1 && (threads != null || r.size() > 1)) {
      BlasThreads.set(1);
    }
    return new Ranks(r, t, t > 1 || threads != null || r.size() > 1 ? 1 : 0);
  }

  boolean leader() {
    return reduction.rank() == 0;
  }

  int size() {
    return reduction.size();
  }

  /** Rank 0 runs {@code task} first (e.g. generating data into the cache), then the others. */
  <T> T leaderFirst(Callable<T> task) throws Exception {
    if (size() == 1) {
      return task.call();
    }
    if (!leader()) {
      Comm.world().barrier();
    }
    T result = task.call();
    if (leader()) {
      Comm.world().barrier();
    }
    return result;
  }

  /** "2 MPI ranks x 1 BLAS thread" for the summary. */
  String describe() {
    String threads = this.threads > 1 ? this.threads + " batch threads (BLAS 1 thread each)"
        : blasThreads > 0 ? blasThreads + " BLAS thread" + (blasThreads == 1 ? "" : "s")
        : BlasThreads.get() + " BLAS threads (OpenBLAS default)";
    return String.format(Locale.ROOT, "%d MPI rank%s x %s", size(), size() == 1 ? "" : "s", threads);
  }

  /** The world size if PETSc runs, else 1. */
  static int worldSize() {
    return Petsc.isInitialized() ? Comm.world().size() : 1;
  }
}

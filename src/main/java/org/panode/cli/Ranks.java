package org.panode.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.panode.nn.BlasThreads;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;
import org.panode.train.GradientReduction;

/**
 * The MPI ranks a command runs on (one without mpirun): rank 0 alone writes files and draws
 * progress; every rank gets one BLAS thread by default when there are several.
 */
final class Ranks {
  final GradientReduction reduction;
  final int blasThreads; // 0: left as OpenBLAS chose

  private Ranks(GradientReduction reduction, int blasThreads) {
    this.reduction = reduction;
    this.blasThreads = blasThreads;
  }

  /** The ranks of PETSc's world (initialising PETSc), with BLAS threads set: {@code threads} if given, else 1 under MPI. */
  static Ranks start(Integer threads) {
    RunOptions.petsc();
    GradientReduction r = GradientReduction.over(Comm.world());
    int t = threads != null ? threads : r.size() > 1 ? 1 : 0;
    if (t > 0) {
      BlasThreads.set(t);
    }
    return new Ranks(r, t);
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
    String threads = blasThreads > 0 ? blasThreads + " BLAS thread" + (blasThreads == 1 ? "" : "s")
        : BlasThreads.get() + " BLAS threads (OpenBLAS default)";
    return String.format(Locale.ROOT, "%d MPI rank%s x %s", size(), size() == 1 ? "" : "s", threads);
  }

  /** The world size if PETSc runs, else 1. */
  static int worldSize() {
    return Petsc.isInitialized() ? Comm.world().size() : 1;
  }
}

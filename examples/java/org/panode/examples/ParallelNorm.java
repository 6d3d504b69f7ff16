package org.panode.examples;

import java.util.Locale;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * A distributed vector across the MPI job: each rank fills its own entries with their global
 * index; rank 0 prints the global 2-norm. Run with mpirun -n 2 java ... ParallelNorm 1000.
 */
public final class ParallelNorm {
  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (Petsc petsc = Petsc.initialize(); Vec v = Vec.create(Comm.world(), -1, size)) {
      int first = 0;
      int local = v.localSize();
      // Prefix sums of the local sizes give each rank's first global index; PETSc's default layout
      // gives the first (size % ranks) ranks one entry more.
      int ranks = Comm.world().size(), rank = Comm.world().rank();
      for (int r = 0; r < rank; r++) {
        first += size / ranks + (r < size % ranks ? 1 : 0);
      }
      try (VecArray a = v.array()) {
        for (int i = 0; i < local; i++) {
          a.set(i, first + i);
        }
      }
      double norm = v.norm();
      if (rank == 0) {
        System.out.printf(Locale.ROOT, "ranks %d size %d norm %.6f%n", ranks, size, norm);
      }
    }
  }
}

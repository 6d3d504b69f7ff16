package org.panode.train;

import java.util.Arrays;
import java.util.Locale;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;

/**
 * Times Comm.sum (one in-place MPI_Allreduce of doubles, with the copies in and out of native
 * memory) for the vector sizes of the models' gradients:
 * {@code mpirun -n 2 java ... org.panode.train.AllreduceBenchmark [repeats]}. Rank 0 prints the
 * median and the minimum per size.
 */
public final class AllreduceBenchmark {
  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    // 1 (a latency probe), KSE-64 (146,464 + the loss, counters and flags), Burgers-512, Burgers-1024.
    int[] sizes = {1, 1_000, 146_464 + 23, 1_587_968 + 23, 6_346_240 + 23};
    try (Petsc petsc = Petsc.initialize()) {
      Comm world = Comm.world();
      for (int n : sizes) {
        double[] values = new double[n];
        double[] seconds = new double[repeats];
        for (int w = 0; w < 3; w++) {
          world.sum(values);
        }
        for (int r = 0; r < repeats; r++) {
          Arrays.fill(values, 1.0);
          world.barrier();
          long began = System.nanoTime();
          world.sum(values);
          seconds[r] = (System.nanoTime() - began) / 1e9;
          if (values[n - 1] != world.size()) {
            throw new IllegalStateException("wrong sum " + values[n - 1]);
          }
        }
        Arrays.sort(seconds);
        if (world.rank() == 0) {
          System.out.printf(Locale.ROOT, "ranks %d doubles %,d median %.3f ms min %.3f ms (%.2f GB/s of vector at the median)%n",
              world.size(), n, seconds[repeats / 2] * 1e3, seconds[0] * 1e3, 8.0 * n / seconds[repeats / 2] / 1e9);
        }
      }
    }
  }
}

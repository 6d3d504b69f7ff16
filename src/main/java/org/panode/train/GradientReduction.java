package org.panode.train;

import java.util.Objects;
import org.panode.petsc.Comm;

/**
 * The ranks of a data-parallel run: this process's rank, their number, and a sum over all of them.
 * A {@link Trainer} with a reduction over N ranks gives each rank its share of every mini-batch
 * ({@link Shard}) and sums the gradient, the loss and the cost counters with one {@link #sum} per
 * iteration, so that parameters and optimizer state stay identical on every rank.
 */
public interface GradientReduction {
  int rank();

  int size();

  /** Replaces {@code values} by their element-wise sum over all ranks (a collective call). */
  void sum(double[] values);

  /** One process: rank 0 of 1, the sum is the values themselves. */
  static GradientReduction single() {
    return Single.INSTANCE;
  }

  /** The ranks of an MPI communicator, e.g. {@link Comm#world()} under mpirun. */
  static GradientReduction over(Comm comm) {
    Objects.requireNonNull(comm, "communicator");
    if (comm.size() == 1) {
      return single();
    }
    int rank = comm.rank(), size = comm.size();
    return new GradientReduction() {
      @Override
      public int rank() {
        return rank;
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public void sum(double[] values) {
        comm.sum(values);
      }

      @Override
      public String toString() {
        return size + " MPI ranks";
      }
    };
  }

  /** The single-process reduction. */
  enum Single implements GradientReduction {
    INSTANCE;

    @Override
    public int rank() {
      return 0;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public void sum(double[] values) {}

    @Override
    public String toString() {
      return "1 process";
    }
  }
}

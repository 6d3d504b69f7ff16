package org.panode.ode;

import java.nio.file.Path;

/**
 * How a TS stores its forward trajectory for the adjoint. All give the same gradient; they trade
 * memory for recomputation. Optimal binomial checkpointing (revolve) needs a PETSc configured
 * with --download-revolve; without it, use stride or disk.
 */
public sealed interface Checkpointing {
  /** Every step's solution and stage values in RAM (fastest, most memory). */
  record Memory() implements Checkpointing {}

  /**
   * Two-level, solution only: a checkpoint every {@code stride} steps (PETSc writes these to a
   * temporary directory it removes), the solutions in between in RAM; the stages are recomputed.
   */
  record Stride(int stride) implements Checkpointing {
    public Stride {
      if (stride < 1) {
        throw new IllegalArgumentException("stride must be >= 1, got " + stride);
      }
    }
  }

  /** Every step written to files in {@code directory} (removed after use unless PETSc is told to keep them). */
  record Disk(Path directory) implements Checkpointing {}

  /** At most {@code checkpoints} in RAM; fewer than the steps needs revolve (see class note). */
  record RamCheckpoints(int checkpoints) implements Checkpointing {
    public RamCheckpoints {
      if (checkpoints < 1) {
        throw new IllegalArgumentException("checkpoints must be >= 1, got " + checkpoints);
      }
    }
  }

  static Checkpointing memory() {
    return new Memory();
  }

  static Checkpointing stride(int stride) {
    return new Stride(stride);
  }

  static Checkpointing disk(Path directory) {
    return new Disk(directory);
  }

  static Checkpointing ramCheckpoints(int checkpoints) {
    return new RamCheckpoints(checkpoints);
  }
}

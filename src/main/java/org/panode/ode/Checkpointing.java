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

  /**
   * Every step written to files in a new folder that Panode makes inside {@code directory} (created if
   * missing) and removes after use; nothing else in {@code directory} is touched.
   */
  record Disk(Path directory) implements Checkpointing {}

  /** At most {@code checkpoints} in RAM; fewer than the steps needs revolve (see class note). */
  record RamCheckpoints(int checkpoints) implements Checkpointing {
    public RamCheckpoints {
      if (checkpoints < 1) {
        throw new IllegalArgumentException("checkpoints must be >= 1, got " + checkpoints);
      }
    }
  }

  /**
   * Chosen per solve for a gradient: {@link Memory} when the estimated trajectory (steps x stored
   * stage vectors x state size x batch x 8 bytes) plus what the network would remember of its
   * forward passes fits {@code budgetBytes}; else {@link Stride} with a stride near sqrt(steps),
   * the network then remembering nothing (each VJP reruns its forward pass). Needs fixed steps that
   * divide every save interval for stride; otherwise memory.
   */
  record Auto(long budgetBytes) implements Checkpointing {
    /** The default budget: 1 GiB. */
    public static final long DEFAULT_BUDGET = 1L << 30;

    public Auto {
      if (budgetBytes < 0) {
        throw new IllegalArgumentException("a memory budget must be >= 0 bytes, got " + budgetBytes);
      }
    }
  }

  /** {@link Auto} with a 1 GiB budget. */
  static Checkpointing auto() {
    return new Auto(Auto.DEFAULT_BUDGET);
  }

  /**
   * Parses auto, memory, stride:K or disk:DIR (the command line's spelling), with a clear message
   * for anything else.
   */
  static Checkpointing parse(String text) {
    String t = text == null ? "" : text.strip();
    String usage = "; use auto, memory, stride:K (K >= 1 steps between checkpoints) or disk:DIR";
    if (t.equalsIgnoreCase("auto")) {
      return auto();
    }
    if (t.equalsIgnoreCase("memory")) {
      return memory();
    }
    if (t.regionMatches(true, 0, "stride:", 0, 7)) {
      try {
        int k = Integer.parseInt(t.substring(7).strip());
        if (k >= 1) {
          return stride(k);
        }
      } catch (NumberFormatException e) {
        // the message below says what is expected
      }
      throw new IllegalArgumentException("checkpointing '" + text + "': the stride must be a whole number >= 1" + usage);
    }
    if (t.regionMatches(true, 0, "disk:", 0, 5)) {
      String dir = t.substring(5).strip();
      if (dir.isEmpty()) {
        throw new IllegalArgumentException("checkpointing '" + text + "': disk needs a folder, e.g. disk:/tmp/trajectory" + usage);
      }
      Path path = Path.of(dir);
      if (java.nio.file.Files.exists(path) && !java.nio.file.Files.isDirectory(path)) {
        throw new IllegalArgumentException("checkpointing '" + text + "': " + path + " exists and is not a folder" + usage);
      }
      return disk(path);
    }
    throw new IllegalArgumentException("unknown checkpointing '" + text + "'" + usage);
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

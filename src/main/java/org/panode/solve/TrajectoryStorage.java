package org.panode.solve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.panode.ode.Checkpointing;
import org.panode.petsc.Ts;

/**
 * Puts a {@link Checkpointing} policy on a TS's trajectory, before each forward solve that is to be
 * differentiated. Trajectory files go to a folder of Panode's own that {@link #close()} removes:
 * stride checkpoints in the system's temporary folder (PETSc would put them in a TS-data-XXXXXX folder
 * in the working directory), disk:DIR's steps in a new panode-trajectory-XXXXXX folder inside DIR.
 * PETSc removes a trajectory's folder with all it holds when the trajectory is destroyed, and refuses
 * one that exists: it is never given the user's folder itself. -ts_trajectory_* options override the policy;
 * with -ts_trajectory_keep_files the last solve's files stay in Panode's folder.
 */
public final class TrajectoryStorage implements AutoCloseable {
  /** Panode's folder for the trajectory files, and the folder it was made in (null: the system's temporary one). */
  private Path scratch;
  private Path scratchIn;

  /** Saves {@code ts}'s trajectory as {@code policy} says (forgetting any earlier one when {@code reset}). */
  public void apply(Ts ts, Checkpointing policy, boolean reset) {
    if (reset) {
      ts.resetTrajectory();
    }
    var tj = ts.saveTrajectory();
    int stride = 0;
    switch (policy) {
      case Checkpointing.Memory m -> tj.type("memory").solutionOnly(false);
      case Checkpointing.Auto a -> throw new IllegalStateException("the Solver resolves Checkpointing.auto() before a solve");
      case Checkpointing.RamCheckpoints r -> tj.type("memory").maxCheckpointsInRam(r.checkpoints());
      case Checkpointing.Disk d -> tj.type("basic").directory(freshFolder(d.directory()));
      case Checkpointing.Stride s -> {
        tj.type("memory").solutionOnly(true).directory(freshFolder(null));
        stride = s.stride();
      }
    }
    tj.setFromOptions(stride);
  }

  /**
   * A folder for the trajectory's files that does not exist yet (PETSc creates it), inside a folder of
   * Panode's own made in {@code parent} (created if missing; null: the system's temporary folder).
   */
  private Path freshFolder(Path parent) {
    try {
      if (scratch != null && !java.util.Objects.equals(scratchIn, parent)) {
        close();
      }
      if (scratch == null) {
        if (parent == null) {
          scratch = Files.createTempDirectory("panode-stride-");
        } else {
          Files.createDirectories(parent);
          scratch = Files.createTempDirectory(parent, "panode-trajectory-");
        }
        scratchIn = parent;
      }
      Path folder = scratch.resolve(parent == null ? "checkpoints" : "steps");
      deleteTree(folder); // left by an earlier trajectory only if PETSc failed to remove it
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for the trajectory's files in "
          + (parent == null ? "the temporary folder" : parent) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (scratch != null) {
      if (!keepFiles()) {
        deleteTree(scratch);
      }
      scratch = null;
    }
  }

  /** -ts_trajectory_keep_files (read without the TS's prefix, as PETSc 3.22 does): the last solve's files stay. */
  private static boolean keepFiles() {
    if (!org.panode.petsc.Petsc.isInitialized()) {
      return false;
    }
    return org.panode.petsc.Petsc.current().options().get(null, "ts_trajectory_keep_files")
        .map(v -> !v.strip().matches("(?i)0|false|no|off")).orElse(false);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort: a leftover temporary folder is not worth failing a close for.
    }
  }
}

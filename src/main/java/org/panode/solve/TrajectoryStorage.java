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
 * differentiated. Stride checkpoints are files: PETSc would put them in a TS-data-XXXXXX folder in
 * the working directory; here they go to a temporary folder that {@link #close()} removes.
 * -ts_trajectory_* options override the policy.
 */
public final class TrajectoryStorage implements AutoCloseable {
  private Path scratch;

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
      case Checkpointing.Disk d -> tj.type("basic").directory(d.directory());
      case Checkpointing.Stride s -> {
        tj.type("memory").solutionOnly(true).directory(freshStrideFolder());
        stride = s.stride();
      }
    }
    tj.setFromOptions(stride);
  }

  /** A folder for stride checkpoints that does not exist yet (PETSc creates it). */
  private Path freshStrideFolder() {
    try {
      if (scratch == null) {
        scratch = Files.createTempDirectory("panode-stride-");
      }
      Path folder = scratch.resolve("checkpoints");
      deleteTree(folder); // left by an earlier trajectory only if PETSc failed to remove it
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for stride checkpoints", e);
    }
  }

  @Override
  public void close() {
    if (scratch != null) {
      deleteTree(scratch);
      scratch = null;
    }
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

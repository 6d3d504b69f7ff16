package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * How a TS stores its forward trajectory for the adjoint (TSTrajectory), from
 * {@link Ts#saveTrajectory()}: "memory" (in RAM, optionally checkpointed) or "basic" (files).
 * PETSc recreates the trajectory object on {@link Ts#resetTrajectory()}, so this view looks it up
 * at every call; it is valid as long as its TS.
 */
public final class TsTrajectory {
  private final Ts ts;

  TsTrajectory(Ts ts) {
    this.ts = ts;
  }

  private MemorySegment tj() {
    return Scratch.pointerOut(cell -> TSGetTrajectory(ts.ptr(), cell), "TSGetTrajectory");
  }

  /** "memory" or "basic" (one file per step). */
  public TsTrajectory type(String type) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSTrajectorySetType(tj(), ts.ptr(), arena.allocateFrom(type)), "TSTrajectorySetType(" + type + ")");
    }
    return this;
  }

  /** Store only solutions (stages are recomputed) or solutions and stages. */
  public TsTrajectory solutionOnly(boolean only) {
    PetscErrors.check(TSTrajectorySetSolutionOnly(tj(), only ? PETSC_TRUE() : PETSC_FALSE()), "TSTrajectorySetSolutionOnly");
    return this;
  }

  /** At most this many checkpoints in RAM (fewer than the steps needs a PETSc with revolve). */
  public TsTrajectory maxCheckpointsInRam(int checkpoints) {
    PetscErrors.check(TSTrajectorySetMaxCpsRAM(tj(), checkpoints), "TSTrajectorySetMaxCpsRAM");
    return this;
  }

  /** The folder of checkpoint files (PETSc creates it). */
  public TsTrajectory directory(Path folder) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSTrajectorySetDirname(tj(), arena.allocateFrom(folder.toString())), "TSTrajectorySetDirname");
    }
    return this;
  }

  /**
   * Reads -ts_trajectory_* options (PETSc 3.22 reads them without the TS's prefix). A
   * {@code stride} > 0 sets the two-level stride, which PETSc takes only from the option
   * -ts_trajectory_stride: it is put in the options database for this one read unless the user
   * gave one, and taken out again.
   */
  public TsTrajectory setFromOptions(int stride) {
    Options options = Options.INSTANCE;
    boolean setStride = stride > 0 && !options.has(null, "ts_trajectory_stride");
    if (setStride) {
      options.set(null, "ts_trajectory_stride", Integer.toString(stride));
    }
    try {
      PetscErrors.check(TSTrajectorySetFromOptions(tj(), ts.ptr()), "TSTrajectorySetFromOptions");
    } finally {
      if (setStride) {
        options.clear(null, "ts_trajectory_stride");
      }
    }
    return this;
  }

  /** A solve's failure, with what to do when PETSc asked for revolve (not in this build). */
  static PetscException explained(PetscException e) {
    if (!e.petscMessage().contains("revolve is needed")) {
      return e;
    }
    return new PetscException(e.getMessage() + " -- without revolve, use Checkpointing.stride(k), Checkpointing.disk(dir) "
        + "or Checkpointing.memory() (or -ts_trajectory_stride K -ts_trajectory_solution_only, -ts_trajectory_type basic)",
        e.errorCode(), e.petscMessage(), e.traceback(), e.getCause());
  }
}

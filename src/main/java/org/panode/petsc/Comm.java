package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/** An MPI communicator: {@link #self()} (this process alone) or {@link #world()} (all ranks). */
public final class Comm {
  private static Comm self;
  private static Comm world;
  private final MemorySegment handle;
  private final String name;

  private Comm(MemorySegment handle, String name) {
    this.handle = handle;
    this.name = name;
  }

  /** MPI_COMM_SELF. OpenMPI defines it as the address of a global, which jextract cannot express. */
  public static Comm self() {
    Petsc.checkThread();
    if (self == null) {
      MemorySegment symbol = SymbolLookup.loaderLookup().find("ompi_mpi_comm_self")
          .orElseThrow(() -> new IllegalStateException("MPI_COMM_SELF (ompi_mpi_comm_self) not found: PETSc must be built with OpenMPI"));
      self = new Comm(symbol, "self");
    }
    return self;
  }

  /** PETSC_COMM_WORLD: every rank of the MPI job (a single process without mpirun). */
  public static Comm world() {
    Petsc.checkThread();
    if (world == null) {
      world = new Comm(PETSC_COMM_WORLD(), "world");
    }
    return world;
  }

  /** The number of processes. */
  public int size() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(C_INT);
      int code = MPI_Comm_size(handle, out);
      if (code != 0) {
        throw new PetscException("MPI_Comm_size failed with MPI error " + code, code, "", java.util.List.of(), null);
      }
      return out.get(C_INT, 0);
    }
  }

  /** This process's rank. */
  public int rank() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(C_INT);
      int code = MPI_Comm_rank(handle, out);
      if (code != 0) {
        throw new PetscException("MPI_Comm_rank failed with MPI error " + code, code, "", java.util.List.of(), null);
      }
      return out.get(C_INT, 0);
    }
  }

  /** True for MPI_COMM_SELF and for any communicator of one process. */
  public boolean isSelf() {
    return this == self || size() == 1;
  }

  MemorySegment handle() {
    return handle;
  }

  @Override
  public String toString() {
    return "Comm." + name;
  }
}

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An MPI communicator: {@link #self()} (this process alone) or {@link #world()} (all ranks), with
 * its rank and size, an in-place sum of doubles over all its ranks and an abort of the whole job.
 * Collective calls must be made by every rank of the communicator, in the same order.
 */
public final class Comm {
  /** OpenMPI's MPI_IN_PLACE is {@code (void *) 1}. */
  private static final MemorySegment IN_PLACE = MemorySegment.ofAddress(1);
  private static Comm self;
  private static Comm world;
  private static MethodHandle abort;
  private static MemorySegment mpiDouble;
  private static MemorySegment mpiSum;
  private final MemorySegment handle;
  private final String name;
  private MemorySegment buffer = MemorySegment.NULL; // reused by sum(): the gradient is summed every iteration

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

  /**
   * Replaces {@code values} on every rank by their element-wise sum over all ranks (one
   * MPI_Allreduce of MPI_DOUBLE with MPI_SUM, in place). Every rank must call it with the same
   * length. On one rank it changes nothing and communicates nothing.
   */
  public void sum(double[] values) {
    Petsc.checkThread();
    if (values.length == 0 || size() == 1) {
      return;
    }
    long bytes = 8L * values.length;
    if (buffer.byteSize() < bytes) {
      buffer = Arena.ofAuto().allocate(bytes, 64);
    }
    MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_DOUBLE, 0, values.length);
    if (mpiDouble == null) {
      mpiDouble = predefined("ompi_mpi_double");
      mpiSum = predefined("ompi_mpi_op_sum");
    }
    int code = MPI_Allreduce(IN_PLACE, buffer, values.length, mpiDouble, mpiSum, handle);
    if (code != 0) {
      throw new PetscException("MPI_Allreduce of " + values.length + " doubles failed with MPI error " + code, code, "",
          java.util.List.of(), null);
    }
    MemorySegment.copy(buffer, ValueLayout.JAVA_DOUBLE, 0, values, 0, values.length);
  }

  /** Waits until every rank has called it (a sum of one number). */
  public void barrier() {
    sum(new double[1]);
  }

  /**
   * Ends every process of the MPI job with this exit code (MPI_Abort): for a failure on one rank
   * that the others cannot learn of, which would otherwise wait forever in their next collective.
   * Does not return.
   */
  public void abort(int exitCode) {
    try {
      synchronized (Comm.class) {
        if (abort == null) {
          // MPI_Abort is not in the generated bindings (regenerating them needs jextract): a direct downcall.
          MemorySegment symbol = SymbolLookup.loaderLookup().find("MPI_Abort").orElseThrow();
          abort = Linker.nativeLinker().downcallHandle(symbol,
              FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        }
      }
      int ignored = (int) abort.invokeExact(handle, exitCode);
    } catch (Throwable e) {
      // fall through: end this process at least
    }
    Runtime.getRuntime().halt(exitCode == 0 ? 1 : exitCode);
  }

  /** The address of one of OpenMPI's predefined objects (MPI_DOUBLE, MPI_SUM are macros for them). */
  private static MemorySegment predefined(String symbol) {
    return SymbolLookup.loaderLookup().find(symbol)
        .orElseThrow(() -> new IllegalStateException(symbol + " not found: PETSc must be built with OpenMPI"));
  }

  MemorySegment handle() {
    return handle;
  }

  @Override
  public String toString() {
    return "Comm." + name;
  }
}

package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The thread count of the OpenBLAS copies in this process: the one the network's GEMMs call
 * ({@link BlasLibrary}, by default the system's, which is PETSc's too) and the system's
 * libopenblas.so.0. Under MPI each rank should
 * use one thread (ranks x threads <= cores): more oversubscribes the cores and slows every rank.
 */
public final class BlasThreads {
  private BlasThreads() {}

  /** Sets the threads of every OpenBLAS found; returns how many libraries were set. */
  public static int set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("BLAS threads must be >= 1, got " + threads);
    }
    int set = 0;
    for (SymbolLookup library : libraries()) {
      Optional<MemorySegment> symbol = library.find("openblas_set_num_threads");
      if (symbol.isPresent()) {
        try {
          Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)).invokeExact(threads);
        } catch (Throwable e) {
          throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
        set++;
      }
    }
    return set;
  }

  /** The thread count of the OpenBLAS the network's GEMMs use. */
  public static int get() {
    MemorySegment symbol = BlasLibrary.symbols().findOrThrow("openblas_get_num_threads");
    try {
      return (int) Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("openblas_get_num_threads failed", e);
    }
  }

  private static List<SymbolLookup> libraries() {
    List<SymbolLookup> found = new ArrayList<>(List.of(BlasLibrary.symbols()));
    try {
      found.add(SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global())); // the loaded one if PETSc linked it
    } catch (IllegalArgumentException notInstalled) {
      // no system OpenBLAS: PETSc uses another BLAS, whose threads are its own business
    }
    return found;
  }
}

package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * Loads the system's libopenblas.so.0 (the OpenBLAS that PETSc's BLAS/LAPACK link) before ND4J's
 * JavaCPP copy, which has the same soname: whichever is loaded first serves every later library
 * that links "libopenblas.so.0" (PETSc's LAPACK included). JavaCPP's OpenBLAS 0.3.19 solves
 * wrongly on AVX-512 CPUs (its SkylakeX kernels; these machines are Sapphire Rapids) (dgetrf/dgetrs residuals of 1 to 1e4 where the system's 0.3.21 gives
 * 1e-15), so it must not be the first. Every class of Panode that reaches ND4J or JavaCPP calls
 * {@link #loadFirst()} in its static initialiser; without a system OpenBLAS it does nothing.
 */
public final class SystemOpenBlas {
  private static boolean done;

  private SystemOpenBlas() {}

  public static synchronized void loadFirst() {
    if (done) {
      return;
    }
    done = true;
    try {
      SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
    } catch (IllegalArgumentException none) {
      // no system OpenBLAS: PETSc links another BLAS, and nothing clashes with ND4J's
    }
  }
}

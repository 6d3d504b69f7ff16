package org.panode.petsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and loads libpetsc, and refuses a build the generated bindings do not fit: they were made
 * from PETSc 3.22 headers with real double scalars and 32-bit PetscInt.
 */
final class PetscLibrary {
  private static java.lang.foreign.SymbolLookup symbols;
  static final int REQUIRED_MAJOR = 3;
  static final int REQUIRED_MINOR = 22;
  private static Path loadedFrom;

  private PetscLibrary() {}

  /** The PETSc installation: system property panode.petsc.dir, else $PETSC_DIR[/$PETSC_ARCH]. */
  static Path installation() {
    String dir = System.getProperty("panode.petsc.dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("PETSC_DIR");
      String arch = System.getenv("PETSC_ARCH");
      if (dir != null && arch != null && !arch.isBlank() && Files.isDirectory(Path.of(dir, arch))) {
        dir = Path.of(dir, arch).toString();
      }
    }
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(
          "PETSc not found: set PETSC_DIR (or -Dpanode.petsc.dir) to a shared PETSc " + REQUIRED_MAJOR + "."
              + REQUIRED_MINOR + " build (real double, 32-bit indices); Panode's native/petsc.sh builds one and "
              + "prints its path");
    }
    return Path.of(dir);
  }

  static synchronized void load() {
    if (loadedFrom != null) {
      return;
    }
    Path dir = installation();
    Path lib = dir.resolve("lib/libpetsc.so");
    if (!Files.isRegularFile(lib)) {
      throw new IllegalStateException("no shared PETSc library at " + lib
          + " (Panode needs PETSc " + REQUIRED_MAJOR + "." + REQUIRED_MINOR + " built with --with-shared-libraries=1)");
    }
    checkConfiguration(dir);
    System.load(lib.toAbsolutePath().toString());
    loadedFrom = dir;
  }

  /**
   * Symbols of libpetsc and its own dependencies (the BLAS/LAPACK it was linked with), not of
   * whatever else this class loader loaded: ND4J's JavaCPP libraries bring another OpenBLAS (0.3.19)
   * with the same LAPACK names, and DenseLu's dgetrf_ resolved to it whenever ND4J was loaded
   * first (its AVX-512 LU is wrong on this machine's CPU: DenseLuWithNd4jTest).
   */
  static synchronized java.lang.foreign.SymbolLookup symbols() {
    load();
    if (symbols == null) {
      symbols = java.lang.foreign.SymbolLookup.libraryLookup(loadedFrom.resolve("lib/libpetsc.so").toAbsolutePath(),
          java.lang.foreign.Arena.global());
    }
    return symbols;
  }

  /** The same lookup as {@link #symbols()}. */
  static java.lang.foreign.SymbolLookup lookup() {
    return symbols();
  }

  /** Reads petscconf.h: the bindings assume real double scalars and 32-bit indices. */
  private static void checkConfiguration(Path dir) {
    Path conf = dir.resolve("include/petscconf.h");
    if (!Files.isRegularFile(conf)) {
      return; // a source-tree build keeps it elsewhere; the version check after loading still runs
    }
    String text;
    try {
      text = Files.readString(conf);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + conf, e);
    }
    if (text.contains("#define PETSC_USE_COMPLEX")) {
      throw new IllegalStateException("PETSc at " + dir + " uses complex scalars; Panode needs real scalars");
    }
    if (!text.contains("#define PETSC_USE_REAL_DOUBLE")) {
      throw new IllegalStateException("PETSc at " + dir + " is not double precision; Panode needs --with-precision=double");
    }
    if (text.contains("#define PETSC_USE_64BIT_INDICES")) {
      throw new IllegalStateException("PETSc at " + dir + " uses 64-bit indices; Panode's bindings need 32-bit PetscInt");
    }
  }
}

package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one BLAS the library's layers call: by default the system's OpenBLAS, the same file (so the
 * same code and the same thread pool) that PETSc's LAPACK uses when PETSc is built by
 * native/petsc.sh against Debian's libopenblas. Loading it by its real path makes the dynamic loader
 * reuse PETSc's copy instead of mapping a second one.
 *
 * <ul>
 *   <li>{@code -Dpanode.blas.library=PATH} picks another CBLAS library; {@code =bundled} picks the
 *       OpenBLAS JavaCPP unpacks for ND4J (a second copy with its own pool when PETSc is loaded).
 *   <li>Threads: OpenBLAS starts one worker per core unless {@code OPENBLAS_NUM_THREADS} says
 *       otherwise; {@code -Dpanode.blas.threads=N} sets the pool to N threads when the library is
 *       first used (PETSc's LU solves share the pool, so it applies to them too).
 * </ul>
 */
public final class BlasLibrary {
  static final String LIBRARY_PROPERTY = "panode.blas.library";
  static final String THREADS_PROPERTY = "panode.blas.threads";
  private static final List<String> SYSTEM_DIRECTORIES = List.of(
      "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/lib64");
  // A bad setting is reported at every use, as a one-line error naming it (not an
  // ExceptionInInitializerError that hides the message).
  private static final Loaded LOADED;
  private static final RuntimeException FAILURE;

  static {
    Loaded loaded = null;
    RuntimeException failure = null;
    try {
      loaded = load();
    } catch (RuntimeException e) {
      failure = e;
    }
    LOADED = loaded;
    FAILURE = failure;
  }

  private BlasLibrary() {}

  record Loaded(Path path, SymbolLookup symbols, Optional<MethodHandle> getThreads) {}

  private static Loaded loaded() {
    if (LOADED == null) {
      throw new IllegalStateException("no BLAS for the network layers: " + FAILURE.getMessage(), FAILURE);
    }
    return LOADED;
  }

  static SymbolLookup symbols() {
    return loaded().symbols();
  }

  /** The real path of the library the layers' GEMMs call. */
  public static Path path() {
    return loaded().path();
  }

  /** OpenBLAS's current thread count, or -1 when the library is not OpenBLAS. */
  public static int threads() {
    if (loaded().getThreads().isEmpty()) {
      return -1;
    }
    try {
      return (int) loaded().getThreads().get().invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("openblas_get_num_threads failed", e);
    }
  }

  private static Loaded load() {
    Path path = choose(System.getProperty(LIBRARY_PROPERTY));
    SymbolLookup symbols = SymbolLookup.libraryLookup(path, Arena.global());
    if (symbols.find("cblas_dgemm").isEmpty()) {
      throw new IllegalStateException(path + " has no cblas_dgemm; set -D" + LIBRARY_PROPERTY + " to a CBLAS library");
    }
    Linker linker = Linker.nativeLinker();
    Optional<MethodHandle> get = symbols.find("openblas_get_num_threads")
        .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT)));
    String threads = System.getProperty(THREADS_PROPERTY);
    if (threads != null) {
      int n = parseThreads(threads);
      MemorySegment set = symbols.find("openblas_set_num_threads").orElseThrow(() ->
          new IllegalStateException("-D" + THREADS_PROPERTY + " needs OpenBLAS; " + path + " has no openblas_set_num_threads"));
      try {
        linker.downcallHandle(set, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)).invokeExact(n);
      } catch (Throwable e) {
        throw new IllegalStateException("openblas_set_num_threads failed", e);
      }
    }
    return new Loaded(path, symbols, get);
  }

  static int parseThreads(String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a positive whole number, got '" + value + "'");
  }

  /** The explicit choice, else the system's OpenBLAS, else JavaCPP's bundled copy. */
  static Path choose(String property) {
    if (property != null && !property.isBlank() && !property.equals("bundled")) {
      Path p = Path.of(property);
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("-D" + LIBRARY_PROPERTY + "=" + property + ": no such library file");
      }
      return real(p);
    }
    if (property == null || property.isBlank()) {
      for (String directory : SYSTEM_DIRECTORIES) {
        Path p = Path.of(directory, "libopenblas.so.0");
        if (Files.isRegularFile(p)) {
          return real(p);
        }
      }
    }
    // JavaCPP's JNI library links libopenblas_nolapack; its dependency is the bundled OpenBLAS.
    Path jni = Path.of(Loader.load(openblas_nolapack.class));
    return real(jni.resolveSibling("libopenblas_nolapack.so.0"));
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot resolve " + p + ": " + e.getMessage(), e);
    }
  }
}

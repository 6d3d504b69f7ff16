package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PETSc session of this process: initialise once, use from the initialising thread only,
 * close to finalise (which prints {@code -log_view} and the like). PETSc cannot be initialised
 * again after it was finalised, as MPI cannot.
 *
 * <p>Options: PETSc always gets {@code -no_signal_handler} (its SIGSEGV handler would fight the
 * JVM's). The arguments given to {@link #initialize(List)} come next and, like the environment
 * variable PETSC_OPTIONS, go into PETSc's options database, where each object's
 * {@code setFromOptions()} reads them last, so they override what the program set.
 */
public final class Petsc implements AutoCloseable {
  private static Petsc session;
  private static Thread owner;
  private static boolean finalized;

  private final List<String> arguments;
  private boolean closed;

  private Petsc(List<String> arguments) {
    this.arguments = arguments;
  }

  /** Initialises PETSc with these command-line options (e.g. "-ts_type", "rk", "-log_view"). */
  public static synchronized Petsc initialize(String... options) {
    return initialize(List.of(options));
  }

  /** Initialises PETSc with these command-line options. */
  public static synchronized Petsc initialize(List<String> options) {
    Objects.requireNonNull(options, "options");
    if (session != null) {
      throw new IllegalStateException("PETSc is already initialised in this process (use Petsc.current())");
    }
    if (finalized) {
      throw new IllegalStateException("PETSc was finalised in this process and cannot be initialised again");
    }
    for (String option : options) {
      Objects.requireNonNull(option, "a PETSc option is null");
    }
    PetscLibrary.load();
    checkVersion();
    List<String> argv = new ArrayList<>();
    argv.add("panode");
    argv.add("-no_signal_handler");
    argv.addAll(options);
    // PETSc keeps argv until PetscFinalize: it lives in the global arena.
    Arena arena = Arena.global();
    MemorySegment argc = arena.allocate(C_INT);
    argc.set(C_INT, 0, argv.size());
    MemorySegment array = arena.allocate(C_POINTER, argv.size() + 1L);
    for (int i = 0; i < argv.size(); i++) {
      array.setAtIndex(C_POINTER, i, arena.allocateFrom(argv.get(i)));
    }
    MemorySegment argvCell = arena.allocate(C_POINTER);
    argvCell.set(C_POINTER, 0, array);
    int code = PetscInitialize(argc, argvCell, MemorySegment.NULL, MemorySegment.NULL);
    if (code != 0) {
      throw new PetscException("PetscInitialize failed with PETSc error " + code
          + " (check the PETSc options " + options + ")", code, "", List.of(), null);
    }
    owner = Thread.currentThread();
    PetscErrors.install();
    session = new Petsc(List.copyOf(options));
    return session;
  }

  /** The open session, or an IllegalStateException if PETSc is not initialised. */
  public static synchronized Petsc current() {
    if (session == null) {
      throw new IllegalStateException("PETSc is not initialised: call Petsc.initialize(...) first");
    }
    return session;
  }

  /** Whether a session is open. */
  public static synchronized boolean isInitialized() {
    return session != null;
  }

  /** The options given at initialisation. */
  public List<String> arguments() {
    return arguments;
  }

  /** The options database. */
  public Options options() {
    checkThread();
    return Options.INSTANCE;
  }

  /** PETSc's version as "major.minor.subminor". */
  public static String version() {
    PetscLibrary.load();
    int[] v = versionNumbers();
    return v[0] + "." + v[1] + "." + v[2];
  }

  private static int[] versionNumbers() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment major = arena.allocate(C_INT), minor = arena.allocate(C_INT), sub = arena.allocate(C_INT);
      PetscGetVersionNumber(major, minor, sub, MemorySegment.NULL);
      return new int[] {major.get(C_INT, 0), minor.get(C_INT, 0), sub.get(C_INT, 0)};
    }
  }

  private static void checkVersion() {
    int[] v = versionNumbers();
    if (v[0] != PetscLibrary.REQUIRED_MAJOR || v[1] != PetscLibrary.REQUIRED_MINOR) {
      throw new IllegalStateException("PETSc at " + PetscLibrary.installation() + " is version " + v[0] + "." + v[1] + "." + v[2]
          + "; Panode's bindings need " + PetscLibrary.REQUIRED_MAJOR + "." + PetscLibrary.REQUIRED_MINOR
          + ".x (unset PETSC_DIR to let native/petsc.sh build it)");
    }
  }

  /** Bytes PETSc has allocated and not freed; counted only with -malloc_debug (else 0). */
  public static double allocatedBytes() {
    checkThread();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(C_DOUBLE);
      PetscErrors.check(PetscMallocGetCurrentUsage(out), "PetscMallocGetCurrentUsage");
      return out.get(C_DOUBLE, 0);
    }
  }

  /** The resident set size of the process in bytes, as PETSc measures it. */
  public static double residentBytes() {
    checkThread();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(C_DOUBLE);
      PetscErrors.check(PetscMemoryGetCurrentUsage(out), "PetscMemoryGetCurrentUsage");
      return out.get(C_DOUBLE, 0);
    }
  }

  /**
   * PETSc is not thread-safe: every call must come from the thread that initialised it. A call
   * from elsewhere, or with no session, is an IllegalStateException.
   */
  static void checkThread() {
    Thread o = owner;
    if (o == null) {
      throw new IllegalStateException("PETSc is not initialised: call Petsc.initialize(...) first");
    }
    if (o != Thread.currentThread()) {
      throw new IllegalStateException("PETSc is used from thread '" + Thread.currentThread().getName()
          + "' but was initialised on thread '" + o.getName() + "'; PETSc is not thread-safe: call it from one thread");
    }
  }

  /** Finalises PETSc (prints -log_view output and the like). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    checkThread();
    closed = true;
    PetscErrors.uninstall();
    int code = PetscFinalize();
    session = null;
    owner = null;
    finalized = true;
    PetscErrors.check(code, "PetscFinalize");
  }
}

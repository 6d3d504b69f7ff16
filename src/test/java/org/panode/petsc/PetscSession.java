package org.panode.petsc;

/**
 * One PETSc session for the whole test JVM (PETSc cannot be initialised twice in a process).
 * TestNG runs the tests on one thread, the session's owner. PETSC_OPTIONS from the build adds
 * -malloc_debug, so PETSc counts its allocations.
 */
public final class PetscSession {
  private PetscSession() {}

  public static synchronized Petsc get() {
    if (!Petsc.isInitialized()) {
      Petsc.initialize();
    }
    return Petsc.current();
  }
}

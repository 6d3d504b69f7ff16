package org.panode.petsc;

/**
 * The one trampoline body of every callback PETSc makes into Java: runs the Java code, turns any
 * exception into PETSc's error code (re-raised with its cause at the outer call, see
 * {@link PetscErrors}) and ends the validity of the borrowed handles PETSc passed in.
 */
final class Upcalls {
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  private Upcalls() {}

  /** 0 if {@code body} returned, PETSc's user error code if it threw; unbinds {@code borrowed} either way. */
  static int guarded(Body body, NativeHandle... borrowed) {
    try {
      body.run();
      return 0;
    } catch (Throwable e) {
      return PetscErrors.callbackFailed(e);
    } finally {
      for (NativeHandle h : borrowed) {
        h.unbind();
      }
    }
  }
}

package org.panode.petsc;

import java.util.List;

/** A PETSc call failed: carries PETSc's error code, its message and the call chain it unwound. */
public class PetscException extends RuntimeException {
  private final int errorCode;
  private final String petscMessage;
  private final List<String> traceback;

  public PetscException(String message, int errorCode, String petscMessage, List<String> traceback, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.petscMessage = petscMessage;
    this.traceback = List.copyOf(traceback);
  }

  /** PETSc's error code (a PetscErrorCode, e.g. 60 for nonconforming sizes, 83 for a failed user callback). */
  public int errorCode() {
    return errorCode;
  }

  /** The message PETSc gave where the error was first raised (empty if it gave none). */
  public String petscMessage() {
    return petscMessage;
  }

  /** The PETSc functions the error passed through, innermost first, as "Function() at file:line". */
  public List<String> traceback() {
    return traceback;
  }
}

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.panode.internal.bindings.PanodeErrorHandlerFn;

/**
 * Turns PETSc error codes into {@link PetscException}s. PETSc reports an error to its error
 * handler once per function it unwinds through; ours records the first message and the call chain
 * (instead of printing them), and the failed call's wrapper reads them back here. An exception
 * thrown by a Java callback during the call becomes the cause.
 */
final class PetscErrors {
  private static final int MAX_FRAMES = 64;
  private static String firstMessage = "";
  private static final List<String> frames = new ArrayList<>();
  private static Throwable callbackFailure;
  private static MemorySegment handlerStub;

  private PetscErrors() {}

  /** Installs the recording error handler (once, after PetscInitialize). */
  static void install() {
    if (handlerStub == null) {
      handlerStub = PanodeErrorHandlerFn.allocate(PetscErrors::record, Arena.global());
    }
    int code = PetscPushErrorHandler(handlerStub, MemorySegment.NULL);
    if (code != 0) {
      throw new PetscException("PetscPushErrorHandler failed with code " + code, code, "", List.of(), null);
    }
  }

  /** Removes the recording handler before PetscFinalize, which would otherwise report its 32 bytes as leaked. */
  static void uninstall() {
    PetscPopErrorHandler();
  }

  @SuppressWarnings("unused")
  private static int record(MemorySegment comm, int line, MemorySegment function, MemorySegment file,
      int code, int type, MemorySegment message, MemorySegment context) {
    try {
      if (type == PETSC_ERROR_INITIAL()) {
        frames.clear();
        String text = string(message).strip();
        firstMessage = text;
      }
      if (frames.size() < MAX_FRAMES) {
        frames.add(string(function) + "() at " + string(file) + ":" + line);
      }
    } catch (Throwable ignored) {
      // The handler must never throw into native code; a lost frame name is harmless.
    }
    return code;
  }

  private static String string(MemorySegment chars) {
    if (chars == null || chars.equals(MemorySegment.NULL)) {
      return "";
    }
    return chars.reinterpret(4096).getString(0);
  }

  /** Called by callback trampolines: keeps the first Java failure of the current PETSc call. */
  static int callbackFailed(Throwable failure) {
    if (callbackFailure == null) {
      callbackFailure = failure;
    } else if (callbackFailure != failure) {
      callbackFailure.addSuppressed(failure);
    }
    return PETSC_ERR_USER();
  }

  /** Throws a PetscException for a nonzero code returned by {@code call}; clears recorded state. */
  static void check(int code, String call) {
    if (code == 0) {
      return;
    }
    throw take(code, call);
  }

  static PetscException take(int code, String call) {
    Throwable cause = callbackFailure;
    String message = firstMessage;
    List<String> trace = List.copyOf(frames);
    reset();
    StringBuilder text = new StringBuilder(call).append(" failed: PETSc error ").append(code);
    String generic = genericMessage(code);
    if (!generic.isEmpty()) {
      text.append(" (").append(generic).append(')');
    }
    if (!message.isEmpty()) {
      text.append(": ").append(message);
    }
    if (cause != null) {
      text.append("; a Java callback threw ").append(cause);
    }
    if (!trace.isEmpty()) {
      text.append(" [in ").append(trace.getFirst()).append(']');
    }
    return new PetscException(text.toString(), code, message, trace, cause);
  }

  /** Clears what an earlier, already reported failure left behind. */
  static void reset() {
    callbackFailure = null;
    firstMessage = "";
    frames.clear();
  }

  private static String genericMessage(int code) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment text = arena.allocate(C_POINTER);
      if (PetscErrorMessage(code, text, MemorySegment.NULL) != 0) {
        return "";
      }
      return string(text.get(C_POINTER, 0));
    }
  }
}

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable out-parameter cells for PETSc calls, so that queries such as VecGetSize allocate no
 * native memory. PETSc runs on one thread; a small stack makes nested use (a query inside a
 * callback inside a call that uses a cell) safe.
 */
final class Scratch {
  private static final int DEPTH = 32;
  private static final MemorySegment cells = Arena.global().allocate(8L * DEPTH, 8);
  private static int top;

  private Scratch() {}

  @FunctionalInterface
  interface Call {
    int invoke(MemorySegment out);
  }

  private static MemorySegment push() {
    if (top == DEPTH) {
      throw new IllegalStateException("scratch cells exhausted: callbacks nested too deeply");
    }
    return cells.asSlice(8L * top++, 8);
  }

  static int intOut(Call call, String what) {
    MemorySegment cell = push();
    try {
      PetscErrors.check(call.invoke(cell), what);
      return cell.get(C_INT, 0);
    } finally {
      top--;
    }
  }

  static double doubleOut(Call call, String what) {
    MemorySegment cell = push();
    try {
      PetscErrors.check(call.invoke(cell), what);
      return cell.get(C_DOUBLE, 0);
    } finally {
      top--;
    }
  }

  static MemorySegment pointerOut(Call call, String what) {
    MemorySegment cell = push();
    try {
      PetscErrors.check(call.invoke(cell), what);
      return cell.get(C_POINTER, 0);
    } finally {
      top--;
    }
  }

  /** A C string returned through an out pointer (PETSc type names and the like). */
  static String stringOut(Call call, String what) {
    MemorySegment p = pointerOut(call, what);
    return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(1024).getString(0);
  }
}

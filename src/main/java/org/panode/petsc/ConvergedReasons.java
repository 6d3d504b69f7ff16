package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.C_POINTER;

import java.lang.foreign.MemorySegment;

/** Reads PETSc's reason-name tables (KSPConvergedReasons etc.), which are indexed by negative codes too. */
final class ConvergedReasons {
  private ConvergedReasons() {}

  static String name(MemorySegment table, int reason) {
    try {
      MemorySegment entry = MemorySegment.ofAddress(table.address() + (long) reason * C_POINTER.byteSize())
          .reinterpret(C_POINTER.byteSize());
      MemorySegment chars = entry.get(C_POINTER, 0);
      return chars.equals(MemorySegment.NULL) ? "reason " + reason : chars.reinterpret(256).getString(0);
    } catch (RuntimeException e) {
      return "reason " + reason;
    }
  }
}

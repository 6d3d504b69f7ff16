package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The preconditioner inside a KSP ({@link Ksp#pc()}): valid as long as that KSP. */
public final class Pc extends NativeHandle {
  private Pc(NativeHandle owner, MemorySegment handle) {
    super("PC", owner, handle);
  }

  static Pc inside(NativeHandle owner, MemorySegment handle) {
    return new Pc(owner, handle);
  }

  /** PC type by name: "lu", "ilu", "jacobi", "none", "shell", ... */
  public Pc type(String type) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(PCSetType(ptr(), arena.allocateFrom(type)), "PCSetType(" + type + ")");
    }
    return this;
  }

  public String type() {
    return Scratch.stringOut(cell -> PCGetType(ptr(), cell), "PCGetType");
  }
}

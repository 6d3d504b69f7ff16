package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A PETSc object owned from Java. It owns an arena for its upcall stubs and other long-lived native
 * memory. Objects that store it natively (a KSP its operators, a TS its Jacobians) {@link #retain}
 * it, so the stubs outlive the user's close: the native object is destroyed and the arena closed when
 * the user has closed it and every holder has released it. {@code close()} is idempotent; using a
 * closed handle is an IllegalStateException, never a native crash.
 *
 * <p>A borrowed handle wraps an object PETSc passes into a callback; it is valid only during that
 * callback and closing it does nothing. An inner handle (a TS's SNES and KSP, a SNES's KSP, a KSP's
 * PC) belongs to its owner: once the owner is closed, any use of it is an IllegalStateException.
 */
public abstract sealed class NativeHandle implements AutoCloseable permits Vec, Mat, Ksp, Pc, Snes, Ts {
  /** Destroys the object given a cell that holds its handle (the XxxDestroy(&x) convention). */
  @FunctionalInterface
  interface Destroyer {
    int destroy(MemorySegment handleCell);
  }

  private final String kind;
  private final Destroyer destroyer;
  private final Arena arena;
  private final NativeHandle owner;
  private MemorySegment handle;
  private boolean closedByUser;
  private boolean abandoned;
  private int holders;

  /** An owned handle. */
  NativeHandle(String kind, MemorySegment handle, Destroyer destroyer) {
    this.kind = kind;
    this.handle = handle;
    this.destroyer = destroyer;
    this.arena = Arena.ofConfined();
    this.owner = null;
    this.holders = 1;
  }

  /** A borrowed handle, bound later with {@link #bind}. */
  NativeHandle(String kind) {
    this.kind = kind;
    this.handle = MemorySegment.NULL;
    this.destroyer = null;
    this.arena = null;
    this.owner = null;
  }

  /**
   * An inner handle for {@code object} inside {@code owner} (a TS's SNES, a SNES's KSP): upcall
   * stubs set on it live in the owner's arena, and it is valid exactly as long as the owner.
   */
  NativeHandle(String kind, NativeHandle owner, MemorySegment object) {
    this.kind = kind;
    this.handle = object;
    this.destroyer = null;
    this.owner = owner;
    this.arena = owner.arena();
  }

  final boolean isBorrowed() {
    return destroyer == null;
  }

  /** Points a borrowed handle at the object PETSc passed to the current callback. */
  final void bind(MemorySegment object) {
    handle = object;
  }

  /** Points a borrowed handle at {@code object} and returns it (for a callback's arguments). */
  @SuppressWarnings("unchecked")
  final <T extends NativeHandle> T bound(MemorySegment object) {
    bind(object);
    return (T) this;
  }

  /** Ends a borrowed handle's validity (after the callback returns). */
  final void unbind() {
    handle = MemorySegment.NULL;
  }

  /** The native handle, for calls into PETSc: checks the thread and that the handle is open. */
  final MemorySegment ptr() {
    Petsc.checkThread();
    if (owner != null && owner.isClosed()) {
      throw new IllegalStateException("this " + kind + " belongs to a " + owner.kind + " that is closed");
    }
    if (closedByUser || handle.equals(MemorySegment.NULL)) {
      throw new IllegalStateException(isBorrowed()
          ? "this " + kind + " was passed to a callback and is valid only during that callback"
          : "this " + kind + " is closed");
    }
    return handle;
  }

  /** The raw address without checks, for identity comparisons. */
  final MemorySegment rawHandle() {
    return handle;
  }

  /** The arena that lives as long as the native object (or its owner); for upcall stubs. */
  final Arena arena() {
    if (owner != null) {
      owner.ptr();
    }
    if (arena == null) {
      throw new IllegalStateException("a " + kind + " passed to a callback cannot take callbacks");
    }
    return arena;
  }

  /** Called by an object that stores this one natively; pair with {@link #release}. */
  final void retain() {
    if (!isBorrowed()) {
      ptr();
      holders++;
    }
  }

  final void release() {
    if (isBorrowed() || holders == 0) {
      return;
    }
    if (--holders == 0) {
      destroyNow();
    }
  }

  /** True once closed by the user, for an inner handle once its owner is closed, for a borrowed one outside its callback. */
  public final boolean isClosed() {
    return closedByUser || handle.equals(MemorySegment.NULL) || (owner != null && owner.isClosed());
  }

  /** Releases the user's reference; the native object goes when no holder needs it. Idempotent. */
  @Override
  public void close() {
    if (isBorrowed() || closedByUser) {
      return;
    }
    Petsc.checkThread();
    closedByUser = true;
    release();
  }

  /**
   * Passes on the exception of a failed call on this object. If PETSc reported its own data
   * corrupt (PETSC_ERR_MEMC, PETSC_ERR_PLIB), destroying the object could crash the process (PETSc
   * 3.22.5's memory trajectory does, after a stack overflow): the object is then never destroyed,
   * its native memory is left behind, and the handle still closes normally.
   */
  final PetscException failed(PetscException e) {
    if (e.errorCode() == PETSC_ERR_MEMC || e.errorCode() == PETSC_ERR_PLIB) {
      abandoned = true;
    }
    return e;
  }

  private static final int PETSC_ERR_PLIB = 77;
  private static final int PETSC_ERR_MEMC = 78;

  /** Lets a subclass release the handles it held, once its native object is gone. */
  void afterDestroy() {}

  private void destroyNow() {
    try (Arena temp = Arena.ofConfined()) {
      MemorySegment cell = temp.allocate(C_POINTER);
      cell.set(C_POINTER, 0, handle);
      int code = abandoned ? 0 : destroyer.destroy(cell);
      handle = MemorySegment.NULL;
      try {
        afterDestroy();
      } finally {
        arena.close();
      }
      PetscErrors.check(code, kind + "Destroy");
    }
  }

  @Override
  public String toString() {
    return kind + (isClosed() ? "[closed]" : "@" + Long.toHexString(handle.address()));
  }
}

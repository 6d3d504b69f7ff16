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
 * callback and closing it does nothing.
 */
public abstract sealed class NativeHandle implements AutoCloseable permits Vec, Mat, Ksp, Snes, Ts {
  /** Destroys the object given a cell that holds its handle (the XxxDestroy(&x) convention). */
  @FunctionalInterface
  interface Destroyer {
    int destroy(MemorySegment handleCell);
  }

  private final String kind;
  private final Destroyer destroyer;
  private final Arena arena;
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
    this.holders = 1;
  }

  /** A borrowed handle, bound later with {@link #bind}. */
  NativeHandle(String kind) {
    this(kind, null);
  }

  /**
   * A borrowed handle for an object inside another (a TS's SNES, a SNES's KSP): upcall stubs set on
   * it live in the owner's arena, as long as the owner.
   */
  NativeHandle(String kind, Arena ownerArena) {
    this.kind = kind;
    this.handle = MemorySegment.NULL;
    this.destroyer = null;
    this.arena = ownerArena;
  }

  final boolean isBorrowed() {
    return destroyer == null;
  }

  /** Points a borrowed handle at the object PETSc passed to the current callback. */
  final void bind(MemorySegment object) {
    handle = object;
  }

  /** Ends a borrowed handle's validity (after the callback returns). */
  final void unbind() {
    handle = MemorySegment.NULL;
  }

  /** The native handle, for calls into PETSc: checks the thread and that the handle is open. */
  final MemorySegment ptr() {
    Petsc.checkThread();
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

  public final boolean isClosed() {
    return closedByUser || (isBorrowed() && handle.equals(MemorySegment.NULL));
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

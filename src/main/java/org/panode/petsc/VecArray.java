package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A view of a vector's local entries (VecGetArray / VecGetArrayRead) without copying. Close it
 * (try-with-resources) to give the array back; the segment is unusable afterwards.
 */
public final class VecArray implements AutoCloseable {
  private final Vec vec;
  private final boolean readOnly;
  private final Arena arena;
  private final MemorySegment cell;
  private final MemorySegment data;
  private boolean closed;

  private VecArray(Vec vec, boolean readOnly, Arena arena, MemorySegment cell, MemorySegment data) {
    this.vec = vec;
    this.arena = arena;
    this.readOnly = readOnly;
    this.cell = cell;
    this.data = data;
  }

  static VecArray open(Vec vec, boolean readOnly) {
    int n = vec.localSize();
    // The view's arena bounds the segment: after close() any access is an IllegalStateException.
    Arena arena = Arena.ofConfined();
    MemorySegment cell = arena.allocate(C_POINTER);
    int code = readOnly ? VecGetArrayRead(vec.ptr(), cell) : VecGetArray(vec.ptr(), cell);
    if (code != 0) {
      arena.close();
      PetscErrors.check(code, readOnly ? "VecGetArrayRead" : "VecGetArray");
    }
    MemorySegment data = cell.get(C_POINTER, 0).reinterpret(8L * n, arena, null);
    return new VecArray(vec, readOnly, arena, cell, readOnly ? data.asReadOnly() : data);
  }

  /** The entries as a native segment of doubles (read-only for readArray()). */
  public MemorySegment segment() {
    if (closed) {
      throw new IllegalStateException("this array view is closed");
    }
    return data;
  }

  public int length() {
    return (int) (data.byteSize() / 8);
  }

  public double get(int i) {
    return segment().getAtIndex(ValueLayout.JAVA_DOUBLE, i);
  }

  public void set(int i, double value) {
    segment().setAtIndex(ValueLayout.JAVA_DOUBLE, i, value);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      int code = readOnly ? VecRestoreArrayRead(vec.ptr(), cell) : VecRestoreArray(vec.ptr(), cell);
      PetscErrors.check(code, readOnly ? "VecRestoreArrayRead" : "VecRestoreArray");
    } finally {
      arena.close();
    }
  }
}

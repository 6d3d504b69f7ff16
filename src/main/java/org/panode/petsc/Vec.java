package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.internal.bindings.PetscApi;

/** A PETSc vector of doubles, sequential or distributed. */
public final class Vec extends NativeHandle {
  private Vec(MemorySegment handle) {
    super("Vec", handle, PetscApi::VecDestroy);
  }

  private Vec() {
    super("Vec");
  }

  /** Takes ownership of a vector PETSc created. */
  static Vec adopt(MemorySegment handle) {
    return new Vec(handle);
  }

  /** A borrowed wrapper for vectors passed into callbacks. */
  static Vec borrowed() {
    return new Vec();
  }

  /** A sequential vector of length n on this process. */
  public static Vec sequential(int n) {
    return create(Comm.self(), n, n);
  }

  /** A sequential vector holding a copy of the values. */
  public static Vec of(double... values) {
    Vec v = sequential(values.length);
    v.set(values);
    return v;
  }

  /**
   * A vector on the communicator with this many local entries (or -1 for PETSC_DECIDE) and global
   * size (or -1 for PETSC_DETERMINE); type from -vec_type.
   */
  public static Vec create(Comm comm, int localSize, int globalSize) {
    Petsc.checkThread();
    if (localSize < 0 && globalSize < 0) {
      throw new IllegalArgumentException("give the local size, the global size or both");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cell = arena.allocate(C_POINTER);
      PetscErrors.check(VecCreate(comm.handle(), cell), "VecCreate");
      Vec v = new Vec(cell.get(C_POINTER, 0));
      try {
        PetscErrors.check(VecSetSizes(v.ptr(), localSize < 0 ? PETSC_DECIDE() : localSize,
            globalSize < 0 ? PETSC_DETERMINE() : globalSize), "VecSetSizes");
        PetscErrors.check(VecSetFromOptions(v.ptr()), "VecSetFromOptions");
      } catch (RuntimeException e) {
        v.close();
        throw e;
      }
      return v;
    }
  }

  /** A new vector of the same layout (values not copied). */
  public Vec duplicate() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cell = arena.allocate(C_POINTER);
      PetscErrors.check(VecDuplicate(ptr(), cell), "VecDuplicate");
      return new Vec(cell.get(C_POINTER, 0));
    }
  }

  /** A new vector with the same layout and values. */
  public Vec copy() {
    Vec v = duplicate();
    v.copyFrom(this);
    return v;
  }

  public int size() {
    return Scratch.intOut(cell -> VecGetSize(ptr(), cell), "VecGetSize");
  }

  public int localSize() {
    return Scratch.intOut(cell -> VecGetLocalSize(ptr(), cell), "VecGetLocalSize");
  }

  /** Read-write view of the local entries, valid until closed; no copy. */
  public VecArray array() {
    return VecArray.open(this, false);
  }

  /** Read-only view of the local entries, valid until closed; no copy. */
  public VecArray readArray() {
    return VecArray.open(this, true);
  }

  /** A copy of the local entries. */
  public double[] toArray() {
    try (VecArray a = readArray()) {
      return a.segment().toArray(ValueLayout.JAVA_DOUBLE);
    }
  }

  /** Copies the local entries into {@code target} (of the local length); returns it. */
  public double[] copyTo(double[] target) {
    try (VecArray a = readArray()) {
      if (target.length != a.length()) {
        throw new IllegalArgumentException("expected an array of " + a.length() + " values for this vector, got " + target.length);
      }
      MemorySegment.copy(a.segment(), ValueLayout.JAVA_DOUBLE, 0, target, 0, target.length);
      return target;
    }
  }

  /** Sets the local entries from an array of the local length. */
  public Vec set(double[] values) {
    try (VecArray a = array()) {
      if (values.length != a.length()) {
        throw new IllegalArgumentException("expected " + a.length() + " values for this vector, got " + values.length);
      }
      MemorySegment.copy(values, 0, a.segment(), ValueLayout.JAVA_DOUBLE, 0, values.length);
    }
    return this;
  }

  /** Sets every entry to alpha. */
  public Vec fill(double alpha) {
    PetscErrors.check(VecSet(ptr(), alpha), "VecSet");
    return this;
  }

  public Vec zero() {
    PetscErrors.check(VecZeroEntries(ptr()), "VecZeroEntries");
    return this;
  }

  /** this &lt;- x (same sizes). */
  public Vec copyFrom(Vec x) {
    PetscErrors.check(VecCopy(x.ptr(), ptr()), "VecCopy");
    return this;
  }

  public Vec scale(double alpha) {
    PetscErrors.check(VecScale(ptr(), alpha), "VecScale");
    return this;
  }

  /** this &lt;- this + alpha x. */
  public Vec axpy(double alpha, Vec x) {
    PetscErrors.check(VecAXPY(ptr(), alpha, x.ptr()), "VecAXPY");
    return this;
  }

  public double dot(Vec y) {
    return Scratch.doubleOut(cell -> VecDot(ptr(), y.ptr(), cell), "VecDot");
  }

  /** The 2-norm. */
  public double norm() {
    return norm(NormType.TWO);
  }

  public double norm(NormType type) {
    return Scratch.doubleOut(cell -> VecNorm(ptr(), type.code(), cell), "VecNorm");
  }

  /** Which norm. */
  public enum NormType {
    ONE, TWO, INFINITY;

    int code() {
      return switch (this) {
        case ONE -> NORM_1();
        case TWO -> NORM_2();
        case INFINITY -> NORM_INFINITY();
      };
    }
  }
}

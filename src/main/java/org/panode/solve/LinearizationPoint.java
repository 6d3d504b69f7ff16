package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.BatchThreads;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * Where a Jacobian was last evaluated: the state, the time and (for implicit matrices
 * shift*M - dF/du) the shift. PETSc calls a Jacobian callback with these and later multiplies with
 * the matrix it set up: the callback moves the point, the matrix's products read it. Each matrix of a
 * wiring has its own point; nothing else passes between callbacks.
 */
final class LinearizationPoint {
  private final MemorySegment state;
  private double time;
  private double shift;
  private long moves;

  LinearizationPoint(Arena arena, long n) {
    this.state = arena.allocate(ValueLayout.JAVA_DOUBLE, n);
  }

  /** The Jacobian callback: the matrix now stands for the linearization at (t, u). */
  void moveTo(double t, Vec u) {
    try (VecArray a = u.readArray()) {
      BatchThreads.copy(a.segment(), state);
    }
    time = t;
    moves++;
  }

  void moveTo(double t, Vec u, double shift) {
    moveTo(t, u);
    this.shift = shift;
  }

  /**
   * The Jacobian callback of a matrix shift*I - J with J linear, the same at every state: only the
   * time and the shift move (no copy of the state, which such a matrix's products do not read).
   */
  void moveTo(double t, double shift) {
    time = t;
    this.shift = shift;
    moves++;
  }

  MemorySegment state() {
    return state;
  }

  double time() {
    return time;
  }

  double shift() {
    return shift;
  }

  /** Counts the moves: a result computed at one point is stale once this changes. */
  long moves() {
    return moves;
  }

  /** Same time and state as {@code other} (compared bit for bit). */
  boolean sameAs(LinearizationPoint other) {
    return time == other.time && state.mismatch(other.state) == -1;
  }
}

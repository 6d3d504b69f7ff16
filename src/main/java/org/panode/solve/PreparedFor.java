package org.panode.solve;

/**
 * What a {@link ShiftedSolver}'s set-up was made for: J's version and the shift. Holds none before
 * the first set-up and from the start of each remaking ({@link #forget}) until it succeeds
 * ({@link #made}), so a set-up that failed is never solved with.
 */
final class PreparedFor {
  private boolean held;
  private long version;
  private double shift = Double.NaN;

  /** Whether the set-up held is for this version of J and this shift (see {@link ShiftedSolver#sameShift}). */
  boolean holds(long version, double shift) {
    return held && version == this.version && ShiftedSolver.sameShift(shift, this.shift);
  }

  /** Whether the set-up held is for what {@code other} holds (a set-up built on another's). */
  boolean holds(PreparedFor other) {
    return other.held && holds(other.version, other.shift);
  }

  /** Drops the set-up held: call before remaking it. */
  void forget() {
    held = false;
  }

  /** Records a successful set-up for this version of J and this shift. */
  void made(long version, double shift) {
    this.version = version;
    this.shift = shift;
    held = true;
  }

  /** Records a successful set-up built on what {@code other} holds. */
  void made(PreparedFor other) {
    other.require();
    made(other.version, other.shift);
  }

  /** Throws unless a set-up is held. */
  void require() {
    if (!held) {
      throw new IllegalStateException("solve before a successful prepare(shift)");
    }
  }
}

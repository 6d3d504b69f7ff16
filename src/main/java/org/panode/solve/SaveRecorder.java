package org.panode.solve;

import org.panode.ode.SaveAt;
import org.panode.petsc.Vec;

/**
 * Takes the states and step numbers at the save times from a TS monitor, for one solve at a time:
 * each solve writes into the same arrays (one wiring's trajectory at a time reads them; the next
 * solve supersedes it).
 */
final class SaveRecorder {
  private double[] times = new double[0];
  private double[][] states;
  private int[] steps;
  private int taken;
  private double previous;

  void start(SaveAt saveAt) {
    times = saveAt.times();
    if (states == null || states.length != times.length) {
      states = new double[times.length][];
    }
    steps = new int[times.length];
    taken = 0;
    previous = saveAt.t0();
  }

  /**
   * The monitor: called with the initial state (step 0, never a save time: they follow t0) and after
   * every accepted step. PETSc lands each step of a time span on its next time, one time per step; a
   * step's time counts as that save time within a part in 1e9 of it and less than half the step, so
   * that neither close save times (0.3 and 0.1 * 3) nor large times (1.7e9 + 1 at steps of 0.1) match
   * the wrong step.
   */
  void take(int step, double t, Vec u) {
    double h = t - previous;
    previous = t;
    if (step == 0 || taken == times.length) {
      return;
    }
    if (Math.abs(t - times[taken]) <= Math.min(1e-9 * Math.max(1, Math.abs(t)), 0.5 * h)) {
      states[taken] = states[taken] == null ? u.toArray() : u.copyTo(states[taken]);
      steps[taken] = step;
      taken++;
    }
  }

  /** Throws unless the last save time was taken at the solve's last step (the adjoint goes back from there). */
  void requireEndsAt(int lastStep) {
    if (taken == times.length && steps[taken - 1] != lastStep) {
      throw new IllegalStateException("the solve ended at step " + lastStep + " but its last save time was taken at step "
          + steps[taken - 1] + "; the save times " + java.util.Arrays.toString(times) + " are too close for PETSc's steps");
    }
  }

  /** The states at the save times; throws if the solve did not land on all of them. */
  double[][] states() {
    if (taken != times.length) {
      throw new IllegalStateException("the solve did not land on save time " + times[taken]);
    }
    return states;
  }

  int[] steps() {
    return steps.clone();
  }
}

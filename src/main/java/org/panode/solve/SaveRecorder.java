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

  void start(SaveAt saveAt) {
    times = saveAt.times();
    if (states == null || states.length != times.length) {
      states = new double[times.length][];
    }
    steps = new int[times.length];
    taken = 0;
  }

  /** The monitor: called after every accepted step. */
  void take(int step, double t, Vec u) {
    while (taken < times.length && Math.abs(t - times[taken]) <= 1e-9 * Math.max(1, Math.abs(t))) {
      states[taken] = states[taken] == null ? u.toArray() : u.copyTo(states[taken]);
      steps[taken] = step;
      taken++;
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

package org.panode.ode;

import java.util.Arrays;

/** Where a solve starts ({@code t0}) and the times, increasing after it, at which it saves the states. */
public record SaveAt(double t0, double[] times) {
  public SaveAt {
    if (!Double.isFinite(t0)) {
      throw new IllegalArgumentException("the start time must be finite, got " + t0);
    }
    if (times == null || times.length == 0) {
      throw new IllegalArgumentException("give at least one save time");
    }
    times = times.clone();
    double previous = t0;
    for (double t : times) {
      if (!(t > previous) || !Double.isFinite(t)) {
        throw new IllegalArgumentException("save times must be finite and increase after t0 = " + t0 + ": got "
            + Arrays.toString(times));
      }
      previous = t;
    }
  }

  /** From t = 0 to these times. */
  public static SaveAt times(double... times) {
    return new SaveAt(0, times);
  }

  /** From t0 to these times. */
  public static SaveAt from(double t0, double... times) {
    return new SaveAt(t0, times);
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  public int count() {
    return times.length;
  }

  public double time(int k) {
    return times[k];
  }

  public double end() {
    return times[times.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SaveAt s && s.t0 == t0 && Arrays.equals(s.times, times);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(t0) * 31 + Arrays.hashCode(times);
  }

  @Override
  public String toString() {
    return "SaveAt[t0=" + t0 + ", times=" + Arrays.toString(times) + "]";
  }
}

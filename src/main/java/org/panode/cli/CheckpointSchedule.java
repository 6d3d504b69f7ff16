package org.panode.cli;

import java.util.Locale;

/**
 * When a run writes its checkpoint: every N epochs ({@code --checkpoint-every 5}), at the end of
 * the first epoch after a time has passed since the last one ({@code 90s}, {@code 5m}, {@code 1h}),
 * or ({@code auto}, the default) after every epoch that ends at least 50 times the last write's
 * duration after it: every epoch unless writing would cost more than 2 % of the run (KSE-64's
 * 3.5 MB took 20-40 ms with fsync here (dd conv=fsync), against 0.19 s epochs).
 * A checkpoint is written only at the end of an epoch, so a run killed mid-epoch resumes from the
 * last one before.
 */
record CheckpointSchedule(int epochs, double seconds) {
  static final String DEFAULT = "auto";
  private static final double AUTO_RATIO = 50;

  /** Parses N (epochs) or a time with unit s, m or h; anything else is a one-line error. */
  static CheckpointSchedule parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return new CheckpointSchedule(0, 0);
    }
    try {
      if (s.endsWith("s") || s.endsWith("m") || s.endsWith("h")) {
        double unit = s.endsWith("s") ? 1 : s.endsWith("m") ? 60 : 3600;
        double t = Double.parseDouble(s.substring(0, s.length() - 1)) * unit;
        if (t > 0 && Double.isFinite(t)) {
          return new CheckpointSchedule(0, t);
        }
      } else {
        int n = Integer.parseInt(s);
        if (n >= 1) {
          return new CheckpointSchedule(n, 0);
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("--checkpoint-every takes auto, a number of epochs (>= 1) or a time such as 90s, 5m or 1h,"
        + " not '" + spec + "'");
  }

  /**
   * Whether to write after {@code epoch}, {@code sinceLast} seconds after the last write (or the
   * start), which took {@code lastWrite} seconds (0 before the first).
   */
  boolean due(int epoch, double sinceLast, double lastWrite) {
    if (epochs > 0) {
      return epoch % epochs == 0;
    }
    return seconds > 0 ? sinceLast >= seconds : sinceLast >= AUTO_RATIO * lastWrite;
  }
}

package org.panode.solve;

/**
 * Stride checkpointing that PETSc 3.22.5 can run. Its two-level scheme without revolve works only
 * when the stride divides the number of steps, which it takes as ceil((t_end - t_0) / h): a partial
 * last stride overflows its stack ("Maximum stack size exceeded", PETSC_ERR_MEMC), and the ceiling
 * counts one step too many when the ratio rounds up (0.15 / 0.01). For a fixed step that divides
 * every output interval, this gives the exact number of steps (the solve's max steps) and the largest
 * stride, at most the one asked for, that divides it.
 */
record StridePlan(int steps, int stride) {
  static StridePlan of(double t0, double[] outputTimes, double step, int stride) {
    long total = 0;
    double previous = t0;
    for (double t : outputTimes) {
      double ratio = (t - previous) / step;
      long n = Math.round(ratio);
      // the times' own rounding counts too: at t = 1e7 an interval of 0.1 is off by up to 4e-9
      double slack = 1e-9 * Math.max(1, ratio) + 4 * Math.ulp(Math.max(Math.abs(t), Math.abs(previous))) / step;
      if (n < 1 || Math.abs(ratio - n) > slack) {
        throw new IllegalArgumentException("stride checkpointing needs a fixed step that divides every output interval: ("
            + t + " - " + previous + ") / " + step + " = " + ratio + " steps; choose such a step, or use "
            + "Checkpointing.memory() or Checkpointing.disk(dir)");
      }
      total += n;
      previous = t;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many steps for one solve: " + total);
    }
    int divisor = Math.min(stride, (int) total);
    while (total % divisor != 0) {
      divisor--;
    }
    return new StridePlan((int) total, divisor);
  }
}

package org.panode.solve;

import java.util.Map;
import org.panode.ode.Checkpointing;
import org.panode.ode.Method;

/**
 * Resolves {@link Checkpointing.Auto} for one solve for a gradient: memory when the full trajectory
 * and the network's remembered forward passes fit the budget, else stride near sqrt(steps) (the
 * network then remembers nothing). The estimate is steps x stored vectors x state size x batch x 8
 * bytes, the stored vectors per step being the solution and the method's stage values.
 */
record AutoCheckpointing(Checkpointing choice, boolean remember, long estimatedBytes, long steps) {
  /** Stages of PETSc's RK tableaus; an ARKIMEX stage keeps two vectors (its implicit and explicit parts). */
  private static final Map<String, Integer> RK_STAGES = Map.ofEntries(Map.entry("1fe", 1), Map.entry("2a", 2),
      Map.entry("2b", 2), Map.entry("3", 3), Map.entry("3bs", 4), Map.entry("4", 4), Map.entry("5f", 6), Map.entry("5dp", 7),
      Map.entry("5bs", 8), Map.entry("6vr", 9), Map.entry("7vr", 10), Map.entry("8vr", 13));
  private static final Map<String, Integer> ARKIMEX_STAGES = Map.ofEntries(Map.entry("1bee", 3), Map.entry("a2", 2),
      Map.entry("l2", 2), Map.entry("ars122", 2), Map.entry("2c", 3), Map.entry("2d", 3), Map.entry("2e", 3),
      Map.entry("prssp2", 3), Map.entry("3", 4), Map.entry("bpr3", 5), Map.entry("ars443", 5), Map.entry("4", 6),
      Map.entry("5", 8));

  /**
   * The choice for a solve of {@code batch} states of size {@code dimension} over {@code steps}
   * fixed steps ({@code steps < 0}: unknown, e.g. adaptive, or a step that does not divide the save
   * intervals: memory), with {@code remembered} the bytes the network would hold remembering that
   * many steps' evaluations.
   */
  static AutoCheckpointing choose(Checkpointing.Auto auto, Method method, int dimension, int batch, long steps,
      long remembered) {
    if (steps < 0) {
      return new AutoCheckpointing(Checkpointing.memory(), true, -1, steps);
    }
    long trajectory = (long) Math.min(Long.MAX_VALUE, (double) steps * (1 + storedStageVectors(method)) * dimension * batch * 8);
    long total = trajectory + remembered < 0 ? Long.MAX_VALUE : trajectory + remembered;
    if (total <= auto.budgetBytes() || steps < 4) {
      return new AutoCheckpointing(Checkpointing.memory(), true, total, steps);
    }
    int stride = (int) Math.max(2, Math.round(Math.sqrt(steps)));
    return new AutoCheckpointing(Checkpointing.stride(stride), false, total, steps);
  }

  /** Vectors a memory trajectory keeps per step besides the solution (an upper estimate). */
  static int storedStageVectors(Method method) {
    return switch (method.kind()) {
      case EXPLICIT -> RK_STAGES.getOrDefault(method.tableau(), 13);
      case IMEX -> 2 * ARKIMEX_STAGES.getOrDefault(method.tableau(), 8);
      case IMPLICIT -> 2;
    };
  }

  /** Fixed steps from t0 through the save times, or -1 when adaptive or a step does not divide every interval. */
  static long fixedSteps(org.panode.ode.StepControl control, double t0, double[] times) {
    if (control.adaptive()) {
      return -1;
    }
    try {
      return StridePlan.of(t0, times, control.initialStep(), 1).steps();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}

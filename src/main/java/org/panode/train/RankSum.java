package org.panode.train;

import org.panode.ode.PhaseCosts;
import org.panode.ode.SolveCosts;

/**
 * One iteration's contributions of this rank (a gradient, a weighted loss, cost counters), summed
 * over all ranks by two {@link GradientReduction#sum}s: the gradient in the array it came in (one
 * process copies nothing), then the loss, costs and failure flags. A rank whose part threw
 * contributes zeros and a failure flag instead; then every rank learns who failed and why (a third
 * sum, only then) and throws the same {@link RankFailedException}, so no rank waits for one that is
 * gone.
 */
final class RankSum {
  private static final int COSTS = 20;
  private static final int MESSAGE_CHARS = 400;
  private final GradientReduction reduction;
  private final int count;
  /** The loss, the cost counters and the failure flags, summed in one call. */
  private final double[] buffer;
  /** The gradient: the first one added, taken over (no copy); null until then. */
  private double[] gradient;
  private Throwable failure;

  /** {@code count}: the length of the summed gradient (the parameter count; 0 for losses only). */
  RankSum(GradientReduction reduction, int count) {
    this.reduction = reduction;
    this.count = count;
    this.buffer = new double[1 + COSTS + reduction.size()];
  }

  /** Adds a gradient; the first one is kept as it is, so the caller must not change it afterwards. */
  void addGradient(double[] values) {
    if (values.length != count) {
      throw new IllegalArgumentException("expected " + count + " values, got " + values.length);
    }
    if (gradient == null) {
      gradient = values;
      return;
    }
    for (int i = 0; i < count; i++) {
      gradient[i] += values[i];
    }
  }

  void addLoss(double weighted) {
    buffer[0] += weighted;
  }

  void addCosts(SolveCosts costs) {
    put(costs.forward(), 1);
    put(costs.adjoint(), 1 + COSTS / 2);
  }

  /**
   * Records this rank's failure, an exception or an Error (out of memory: the other ranks must learn
   * of it too, or they wait in the next sum for ever); one process rethrows it at once.
   */
  void fail(Throwable e) {
    if (reduction.size() == 1) {
      if (e instanceof Error error) {
        throw error;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    failure = e;
    buffer[1 + COSTS + reduction.rank()] = 1;
  }

  /** Sums over all ranks; throws on every rank if any failed. {@code where} names the iteration. */
  void reduce(String where) {
    if (count > 0 && reduction.size() > 1) {
      if (gradient == null) { // this rank failed before its gradient: it adds zeros
        gradient = new double[count];
      }
      reduction.sum(gradient);
    }
    reduction.sum(buffer);
    int size = reduction.size(), first = -1, failed = 0;
    for (int r = 0; r < size; r++) {
      if (buffer[1 + COSTS + r] != 0) {
        failed++;
        first = first < 0 ? r : first;
      }
    }
    if (failed == 0) {
      return;
    }
    double[] message = new double[MESSAGE_CHARS];
    if (reduction.rank() == first) {
      String text = failure.getMessage() == null ? failure.toString() : failure.getClass().getSimpleName() + ": " + failure.getMessage();
      for (int i = 0; i < Math.min(text.length(), MESSAGE_CHARS); i++) {
        message[i] = text.charAt(i);
      }
    }
    reduction.sum(message);
    StringBuilder cause = new StringBuilder();
    for (double c : message) {
      if (c == 0) {
        break;
      }
      cause.append((char) c);
    }
    String others = failed > 1 ? " (and " + (failed - 1) + " more rank" + (failed > 2 ? "s" : "") + ")" : "";
    throw new RankFailedException("rank " + first + " of " + size + others + " failed " + where + ": " + cause, first, failure);
  }

  /** The summed gradient (this object's array: read it before the next iteration's sum). */
  double[] gradient() {
    return gradient != null ? gradient : new double[count];
  }

  double loss() {
    return buffer[0];
  }

  SolveCosts costs() {
    return new SolveCosts(take(1), take(1 + COSTS / 2));
  }

  private void put(PhaseCosts c, int at) {
    double[] v = {c.explicitEvaluations(), c.implicitApplications(), c.jvps(), c.vjps(), c.linearSolves(), c.krylovIterations(),
        c.luFactorizations(), c.steps(), c.rejectedSteps(), c.seconds()};
    for (int i = 0; i < v.length; i++) {
      buffer[at + i] += v[i];
    }
  }

  private PhaseCosts take(int at) {
    double[] b = buffer;
    return new PhaseCosts((long) b[at], (long) b[at + 1], (long) b[at + 2], (long) b[at + 3], (long) b[at + 4], (long) b[at + 5],
        (long) b[at + 6], (long) b[at + 7], (long) b[at + 8], b[at + 9]);
  }
}

package org.panode.train;

import java.util.Arrays;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SolveCosts;

/**
 * One iteration's contributions of this rank (a gradient, a weighted loss, cost counters), summed
 * over all ranks by a single {@link GradientReduction#sum}. A rank whose part threw contributes a
 * failure flag instead; then every rank learns who failed and why (a second sum, only then) and
 * throws the same {@link RankFailedException}, so no rank waits for one that is gone.
 */
final class RankSum {
  private static final int COSTS = 20;
  private static final int MESSAGE_CHARS = 400;
  private final GradientReduction reduction;
  private final int count;
  private final double[] buffer;
  private RuntimeException failure;

  /** {@code count}: the length of the summed vector (the parameter count; 0 for losses only). */
  RankSum(GradientReduction reduction, int count) {
    this.reduction = reduction;
    this.count = count;
    this.buffer = new double[count + 1 + COSTS + reduction.size()];
  }

  void addGradient(double[] values) {
    if (values.length != count) {
      throw new IllegalArgumentException("expected " + count + " values, got " + values.length);
    }
    for (int i = 0; i < count; i++) {
      buffer[i] += values[i];
    }
  }

  void addLoss(double weighted) {
    buffer[count] += weighted;
  }

  void addCosts(SolveCosts costs) {
    put(costs.forward(), count + 1);
    put(costs.adjoint(), count + 1 + COSTS / 2);
  }

  /** Records this rank's failure; one process rethrows it at once. */
  void fail(RuntimeException e) {
    if (reduction.size() == 1) {
      throw e;
    }
    failure = e;
    buffer[count + 1 + COSTS + reduction.rank()] = 1;
  }

  /** Sums over all ranks; throws on every rank if any failed. {@code where} names the iteration. */
  void reduce(String where) {
    reduction.sum(buffer);
    int size = reduction.size(), first = -1, failed = 0;
    for (int r = 0; r < size; r++) {
      if (buffer[count + 1 + COSTS + r] != 0) {
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

  double[] gradient() {
    return Arrays.copyOf(buffer, count);
  }

  double loss() {
    return buffer[count];
  }

  SolveCosts costs() {
    return new SolveCosts(take(count + 1), take(count + 1 + COSTS / 2));
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

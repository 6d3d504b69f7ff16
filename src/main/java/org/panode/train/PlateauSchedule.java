package org.panode.train;

/**
 * Reduces the learning rate when the epoch loss stops improving, as PyTorch's ReduceLROnPlateau
 * (mode min, relative threshold, no cooldown): a loss below best * (1 - threshold) is an
 * improvement; after more than {@code patience} epochs without one the rate becomes
 * max(rate * factor, minRate) (changes under 1e-8 are ignored) and the count restarts.
 */
public final class PlateauSchedule {
  /** PyTorch's default relative threshold. */
  public static final double DEFAULT_THRESHOLD = 1e-4;
  private static final double EPSILON = 1e-8;

  private final int patience;
  private final double factor;
  private final double minRate;
  private final double threshold;
  private double best = Double.POSITIVE_INFINITY;
  private int badEpochs;

  /** The schedule's memory, for checkpoints. */
  public record State(double best, int badEpochs) {
    public State {
      if (badEpochs < 0 || Double.isNaN(best)) {
        throw new IllegalArgumentException("invalid plateau schedule state: best " + best + ", bad epochs " + badEpochs);
      }
    }
  }

  public PlateauSchedule(int patience, double factor, double minRate) {
    this(patience, factor, minRate, DEFAULT_THRESHOLD);
  }

  public PlateauSchedule(int patience, double factor, double minRate, double threshold) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
    }
    if (!(minRate >= 0) || !Double.isFinite(minRate)) {
      throw new IllegalArgumentException("the minimum rate must be >= 0 and finite, got " + minRate);
    }
    if (!(threshold >= 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
    }
    this.patience = patience;
    this.factor = factor;
    this.minRate = minRate;
    this.threshold = threshold;
  }

  /** Records an epoch's loss and returns the rate for the next epoch, given the current one. */
  public double next(double loss, double rate) {
    if (loss < best * (1 - threshold)) {
      best = loss;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (badEpochs > patience) {
      badEpochs = 0;
      double reduced = Math.max(rate * factor, minRate);
      if (rate - reduced > EPSILON) {
        return reduced;
      }
    }
    return rate;
  }

  public State state() {
    return new State(best, badEpochs);
  }

  public void restore(State state) {
    best = state.best();
    badEpochs = state.badEpochs();
  }
}

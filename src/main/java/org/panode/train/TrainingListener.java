package org.panode.train;

/** Progress callbacks of a {@link Trainer}, on the training thread. */
@FunctionalInterface
public interface TrainingListener {
  /** After each optimizer step: epoch and batch numbers (1-based), the epoch's batches, the batch loss. */
  default void batchFinished(int epoch, int batch, int batches, double loss) {}

  /** After each epoch. */
  void epochFinished(EpochReport report);
}

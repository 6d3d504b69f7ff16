package org.panode.experiments;

import org.panode.ode.Problem;
import org.panode.train.Loss;
import org.panode.train.PlateauSchedule;
import org.panode.train.TrajectoryDataset;

/**
 * A ready experiment: the model as a problem (a split problem, or for stiff chemistry an implicit
 * one), its data, loss and schedule, and a true test trajectory (snapshots every
 * {@code referenceInterval}, the first one the start) to compare a rollout of the trained model
 * with; chemistry has {@code species} instead (predicted vs true species plots).
 */
public record Setup(String description, Problem problem, TrajectoryDataset train, TrajectoryDataset test, Loss loss,
    PlateauSchedule schedule, boolean dropLast, double[][] reference, double referenceInterval, Species species) {
  public Setup {
    java.util.Objects.requireNonNull(problem, "problem");
  }

  /** An experiment without species. */
  public Setup(String description, Problem problem, TrajectoryDataset train, TrajectoryDataset test, Loss loss,
      PlateauSchedule schedule, boolean dropLast, double[][] reference, double referenceInterval) {
    this(description, problem, train, test, loss, schedule, dropLast, reference, referenceInterval, null);
  }

  public int parameterCount() {
    return problem.parameterCount();
  }

  public int dimension() {
    return problem.dimension();
  }

  /**
   * Species of a chemistry experiment: names, the physical times of the training targets (which
   * the model may integrate in log time), per-species scales for errors, and whether plots use a
   * log time axis.
   */
  public record Species(java.util.List<String> names, double[] physicalTimes, double[] scale, boolean logTime) {}
}

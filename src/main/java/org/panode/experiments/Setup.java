package org.panode.experiments;

import org.panode.ode.SplitProblem;
import org.panode.train.Loss;
import org.panode.train.PlateauSchedule;
import org.panode.train.TrajectoryDataset;

/**
 * A ready experiment: the model as a split problem, its data, loss and schedule, and a true test
 * trajectory (snapshots every {@code referenceInterval}, the first one the start) to compare a
 * rollout of the trained model with.
 */
public record Setup(String description, SplitProblem problem, TrajectoryDataset train, TrajectoryDataset test, Loss loss,
    PlateauSchedule schedule, boolean dropLast, double[][] reference, double referenceInterval) {}

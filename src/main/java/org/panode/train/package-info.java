/**
 * Training the parameters [theta_J, theta_G] of a split neural ODE on trajectory data:
 * {@link org.panode.train.Loss losses}, {@link org.panode.train.Optimizer optimizers} (ND4J's
 * updaters) with a {@link org.panode.train.PlateauSchedule plateau schedule},
 * {@link org.panode.train.TrajectoryDataset datasets}, the {@link org.panode.train.Trainer}, and
 * {@link org.panode.train.ParameterFile parameter files} and
 * {@link org.panode.train.TrainingCheckpoint checkpoints}.
 */
package org.panode.train;

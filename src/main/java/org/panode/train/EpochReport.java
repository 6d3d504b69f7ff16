package org.panode.train;

import org.panode.ode.SolveCosts;

/**
 * One finished epoch: its number (1-based), the mean training loss over its samples, the number
 * of mini-batches, the learning rate it ran with, its wall time and the solver costs summed over
 * its batches (forward and adjoint apart).
 */
public record EpochReport(int epoch, double loss, int batches, double learningRate, double seconds, SolveCosts costs) {}

package org.panode.petsc;

/** Counters of a TS since it was created: accepted and rejected steps, nonlinear and linear iterations. */
public record TsStatistics(int steps, int rejectedSteps, int nonlinearIterations, int linearIterations,
    int nonlinearSolveFailures) {}

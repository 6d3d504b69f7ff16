package org.panode.solve;

import org.panode.ode.PhaseCosts;

/** The batch's states at the output times ({@code states[k]} is sample-major, m*d), with the forward costs. */
public record Solution(double[] times, double[][] states, PhaseCosts costs) {}

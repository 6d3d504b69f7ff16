package org.panode.solve;

/** dL/dtheta (flat: [theta_J, theta_G]) and dL/du0 (the batch, sample-major) of a loss, with the adjoint's costs. */
public record Gradients(double[] parameters, double[] initialState, org.panode.ode.PhaseCosts costs) {}

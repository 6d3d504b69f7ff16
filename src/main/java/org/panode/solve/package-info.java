/**
 * One solve call, diffrax-shaped: a {@link org.panode.ode.Problem}, an immutable
 * {@link org.panode.solve.SolverConfig} and {@link org.panode.ode.SaveAt} times meet in
 * {@link org.panode.solve.Solver#solve}, which returns a {@link org.panode.solve.Trajectory} that
 * owns the TS it ran on: its states, its costs, and the gradients of any number of losses by
 * PETSc's discrete adjoint (TSAdjoint), run one save interval at a time.
 *
 * <p>A {@link org.panode.solve.Solver} keeps the TS of each batch shape for the next solve (training
 * repeats the same shapes); a later solve of the same shape supersedes the earlier trajectory.
 * Inside, one wiring class per method kind (IMEX: ARKIMEX, explicit: RK, implicit: theta and other
 * types, and implicit problems) owns its callbacks; what one callback computes for another travels
 * in a linearization point (state, time, shift), never in a field of the wiring.
 */
package org.panode.solve;

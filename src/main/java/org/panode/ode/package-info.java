/**
 * The vocabulary of ODEs, pure Java (nothing native): a {@link org.panode.ode.Term} gives values,
 * JVPs and VJPs on a batch of states; a {@link org.panode.ode.Problem} is a
 * {@link org.panode.ode.SplitProblem} du/dt = G(u) + J u (G explicit, the linear J implicit) or an
 * {@link org.panode.ode.ImplicitProblem} M du/dt = f(u); a {@link org.panode.ode.Method}, a
 * {@link org.panode.ode.StepControl}, {@link org.panode.ode.SaveAt} times and a
 * {@link org.panode.ode.Checkpointing} policy say how to solve it; {@link org.panode.ode.PhaseCosts}
 * say what a solve cost. {@code org.panode.solve} runs these on PETSc.
 */
package org.panode.ode;

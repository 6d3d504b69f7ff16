package org.panode.solve;

import java.util.ArrayList;
import java.util.List;
import org.panode.ode.Checkpointing;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SaveAt;

/**
 * The result of one solve: the batch's states at the save times, the forward costs, and (for a
 * solve made for a gradient) the discrete adjoint of any loss on those states, as often as asked
 * while it is open. It holds its TS until closed or superseded (see {@link Solver}); after that,
 * every call is an IllegalStateException.
 *
 * <p>PETSc's adjoint uses up the stored trajectory, so the first gradient runs on the forward
 * solve already made and each later call first repeats that forward solve (the same u0, the same
 * steps: the same discrete trajectory, so the same gradient as from a separate solve); its cost is
 * in that gradient's costs.
 */
public final class Trajectory implements AutoCloseable {
  /** What a forward solve needs to be repeated exactly. */
  /** One solve's inputs; {@code remember}: whether the network may remember its forward passes for the adjoint. */
  record Run(double[] u0, SaveAt saveAt, Checkpointing storage, int maxSteps, boolean remember) {}

  private final Solver solver;
  private final Wiring wiring;
  private final Run run;
  private final boolean forGradient;
  private final boolean ownsSolver;
  private double[][] states;
  private int[] stepsAtSave;
  private PhaseCosts forwardCosts;
  private boolean trajectoryUsed;
  private boolean closed;
  private String supersededBecause;

  Trajectory(Solver solver, Wiring wiring, Run run, boolean forGradient, boolean ownsSolver) {
    this.solver = solver;
    this.wiring = wiring;
    this.run = run;
    this.forGradient = forGradient;
    this.ownsSolver = ownsSolver;
  }

  void forwardDone(Wiring.Forward forward) {
    this.states = forward.states();
    this.stepsAtSave = forward.steps();
    this.forwardCosts = forward.costs();
  }

  Wiring wiring() {
    return wiring;
  }

  Run run() {
    return run;
  }

  boolean ownsSolver() {
    return ownsSolver;
  }

  void superseded(String why) {
    supersededBecause = why;
  }

  private void requireUsable() {
    if (closed) {
      throw new IllegalStateException("this trajectory is closed");
    }
    if (solver.isClosed() && !ownsSolver) {
      throw new IllegalStateException("this trajectory's Solver is closed");
    }
    if (supersededBecause != null) {
      throw new IllegalStateException("this trajectory is superseded: " + supersededBecause
          + "; take its gradients before the next solve, or use a second Solver");
    }
  }

  public SaveAt saveAt() {
    return run.saveAt();
  }

  /** The save times. */
  public double[] times() {
    return run.saveAt().times();
  }

  public int batch() {
    return wiring.batch;
  }

  /** The states at the save times: {@code states()[k]} is the batch at t_k, sample-major (m*d). */
  public double[][] states() {
    requireUsable();
    double[][] copy = new double[states.length][];
    for (int k = 0; k < states.length; k++) {
      copy[k] = states[k].clone();
    }
    return copy;
  }

  /**
   * The states at the save times copied into {@code into} (one array of m*d values per save time),
   * which is returned: a training loop passes the same arrays every iteration.
   */
  public double[][] states(double[][] into) {
    requireUsable();
    boolean fits = into.length == states.length;
    for (int k = 0; fits && k < states.length; k++) {
      fits = into[k] != null && into[k].length == states[k].length;
    }
    if (!fits) {
      throw new IllegalArgumentException("give " + states.length + " arrays of " + states[0].length + " values for the states");
    }
    for (int k = 0; k < states.length; k++) {
      System.arraycopy(states[k], 0, into[k], 0, states[k].length);
    }
    return into;
  }

  /** The batch at save time k (a copy). */
  public double[] state(int k) {
    requireUsable();
    return states[k].clone();
  }

  /** The costs of the forward solve. */
  public PhaseCosts costs() {
    return forwardCosts;
  }

  /**
   * The gradient of a loss L(u(t_1), ..., u(t_K)) given dL/du(t_k) (one array of m*d values per
   * save time): dL/dtheta and dL/du0.
   */
  public Gradients gradient(double[][] lossGradients) {
    return gradient(lossGradients, null);
  }

  /**
   * As {@link #gradient(double[][])}, with dL/dtheta written into {@code parametersInto} (one value
   * per parameter; null: a new array), which the result's {@link Gradients#parameters()} then is. A
   * training loop passes the same array every iteration instead of allocating one per adjoint.
   */
  public Gradients gradient(double[][] lossGradients, double[] parametersInto) {
    return gradient(lossGradients, parametersInto, null);
  }

  /**
   * As {@link #gradient(double[][], double[])}, with dL/du0 written into {@code initialStateInto}
   * too (m*d values; null: a new array), which the result's {@link Gradients#initialState()} then is.
   */
  public Gradients gradient(double[][] lossGradients, double[] parametersInto, double[] initialStateInto) {
    requireUsable();
    if (!forGradient) {
      throw new IllegalStateException("this trajectory was solved without keeping the trajectory: use Solver.solveForGradient");
    }
    int n = wiring.n;
    if (lossGradients.length != states.length) {
      throw new IllegalArgumentException("expected dL/du at " + states.length + " save times, got " + lossGradients.length);
    }
    int p = wiring.parameterCount();
    if (parametersInto != null && parametersInto.length != p) {
      throw new IllegalArgumentException("dL/dtheta has " + p + " values; the array for it has " + parametersInto.length);
    }
    if (initialStateInto != null && initialStateInto.length != n) {
      throw new IllegalArgumentException("dL/du0 has batch x d = " + n + " values; the array for it has " + initialStateInto.length);
    }
    for (double[] gk : lossGradients) {
      if (gk.length != n) {
        throw new IllegalArgumentException("each dL/du(t_k) must have batch x d = " + n + " values, got " + gk.length);
      }
    }
    PhaseCosts replay = PhaseCosts.ZERO;
    if (trajectoryUsed) {
      solver.remember(this, true);
      Wiring.Forward again = solver.runForward(this);
      stepsAtSave = again.steps();
      replay = again.costs();
    }
    trajectoryUsed = true;
    Gradients g = solver.runAdjoint(this, lossGradients, stepsAtSave, parametersInto, initialStateInto);
    return replay == PhaseCosts.ZERO ? g : new Gradients(g.parameters(), g.initialState(), g.costs().plus(replay));
  }

  /** The gradients of several losses on this solve (one adjoint each, see the class note). */
  public List<Gradients> gradients(List<double[][]> lossGradients) {
    if (lossGradients.isEmpty()) {
      throw new IllegalArgumentException("give dL/du for at least one loss");
    }
    List<Gradients> out = new ArrayList<>(lossGradients.size());
    for (double[][] g : lossGradients) {
      out.add(gradient(g));
    }
    return out;
  }

  /** Gives the TS back to its Solver (or, for a one-shot solve, frees it). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!solver.isClosed()) {
      solver.released(this);
    }
  }
}

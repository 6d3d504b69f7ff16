package org.panode.solve;

import java.util.Arrays;
import java.util.Objects;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Checkpointing;
import org.panode.petsc.PetscException;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * Solves a split problem du/dt = G(u) + J u for a batch of initial states with a PETSc TS, and
 * gives the gradient of a loss on the states at the output times by the discrete adjoint, run one
 * output interval at a time with dL/du(t_k) added between intervals.
 *
 * <pre>{@code
 * var ode = NeuralOde.of(problem, Method.parse("imex-rk2"), StepControl.fixed(0.2));
 * Solution s = ode.solve(u0, batch, 0.0, new double[] {1.0, 2.0}, true);
 * Gradients g = ode.gradient(dLdu);          // dL/dtheta and dL/du0
 * }</pre>
 *
 * PETSc options with this ODE's prefix (none by default) override the method, the steps and the
 * solvers: setFromOptions() is called last. Not thread-safe; one solve's TS lives until the next
 * solve or {@link #close()}.
 */
public final class NeuralOde implements AutoCloseable {
  private final SplitProblem problem;
  private final ImplicitProblem implicitProblem;
  private final Method method;
  private final StepControl steps;
  private LinearSolver linearSolver = LinearSolver.directLu();
  private Checkpointing checkpointing = Checkpointing.memory();
  private String optionsPrefix;
  private final Counters counters = new Counters();

  private ShiftedSolver lu;
  private TsWiring current;
  private int wiringBatch;
  private boolean wiringForGradient;
  private boolean freshTs;
  private boolean gradientTaken;
  private boolean remembering;
  private double[][] outputStates;
  private int outputsTaken;
  private Vec state;
  private int batch;
  private double[] times;
  private int[] stepsAtOutput;

  private NeuralOde(SplitProblem problem, ImplicitProblem implicitProblem, Method method, StepControl steps) {
    this.problem = problem;
    this.implicitProblem = implicitProblem;
    this.method = Objects.requireNonNull(method, "method");
    this.steps = Objects.requireNonNull(steps, "step control");
  }

  /** du/dt = G(u) + J u. */
  public static NeuralOde of(SplitProblem problem, Method method, StepControl steps) {
    return new NeuralOde(Objects.requireNonNull(problem, "problem"), null, method, steps);
  }

  /** M du/dt = f(u), with an implicit method (cn, beuler, ts:NAME). */
  public static NeuralOde of(ImplicitProblem problem, Method method, StepControl steps) {
    Objects.requireNonNull(problem, "problem");
    if (method.kind() != Method.Kind.IMPLICIT) {
      throw new IllegalArgumentException("an implicit problem needs an implicit method (cn, beuler or ts:NAME), not " + method);
    }
    return new NeuralOde(null, problem, method, steps);
  }

  /** The state dimension d. */
  public int dimension() {
    return problem != null ? problem.dimension() : implicitProblem.dimension();
  }

  public NeuralOde linearSolver(LinearSolver solver) {
    this.linearSolver = Objects.requireNonNull(solver);
    return this;
  }

  /**
   * How the forward trajectory is kept for the adjoint (default: all in memory). With fixed steps,
   * {@link Checkpointing#stride} needs a step that divides every output interval, and uses the
   * largest stride up to the one given that divides the number of steps (see StridePlan).
   */
  public NeuralOde checkpointing(Checkpointing checkpointing) {
    this.checkpointing = Objects.requireNonNull(checkpointing);
    return this;
  }

  /** The prefix of the PETSc options for this ODE's TS, e.g. "node_" for -node_ts_type. */
  public NeuralOde optionsPrefix(String prefix) {
    this.optionsPrefix = prefix;
    return this;
  }

  /** The split problem (null for an implicit problem). */
  public SplitProblem problem() {
    return problem;
  }

  /** The implicit problem (null for a split problem). */
  public ImplicitProblem implicitProblem() {
    return implicitProblem;
  }

  public Method method() {
    return method;
  }

  /**
   * Integrates the batch (m states, sample-major, m*d values) from t0 and returns the states at the
   * output times (increasing, after t0). With {@code forGradient} the trajectory is kept for
   * {@link #gradient}.
   */
  public Solution solve(double[] u0, int batch, double t0, double[] outputTimes, boolean forGradient) {
    int d = dimension();
    if (batch <= 0 || u0.length != batch * d) {
      throw new IllegalArgumentException("initial states: expected batch x d = " + batch + " x " + d + " = "
          + (long) batch * d + " values, got " + u0.length);
    }
    checkTimes(t0, outputTimes);
    for (int i = 0; i < u0.length; i++) {
      if (!Double.isFinite(u0[i])) {
        throw new IllegalArgumentException("initial state of sample " + i / d + " has " + u0[i] + " at component " + i % d);
      }
    }
    StridePlan stride = forGradient && checkpointing instanceof Checkpointing.Stride s && !steps.adaptive()
        ? StridePlan.of(t0, outputTimes, steps.initialStep(), s.stride()) : null;
    Counters start = counters.copy();
    long began = System.nanoTime();
    if (current != null && (wiringBatch != batch || wiringForGradient != forGradient)) {
      releaseTs();
    }
    this.batch = batch;
    this.times = outputTimes.clone();
    this.stepsAtOutput = new int[outputTimes.length];
    this.outputStates = new double[outputTimes.length][];
    this.outputsTaken = 0;
    this.gradientTaken = false;
    remember(forGradient);
    Checkpointing storage = stride == null ? checkpointing
        : stride.stride() > 1 ? Checkpointing.stride(stride.stride()) : Checkpointing.memory();
    var ts = current == null ? createTs(batch, forGradient, storage) : current.ts();
    ts.time(t0).stepNumber(0).timeStep(steps.initialStep());
    if (stride != null) {
      ts.maxSteps(stride.steps());
    }
    if (forGradient && !freshTs) {
      ts.resetTrajectory(storage);
    }
    freshTs = false;
    int kspBefore = ts.ksp().totalIterations();
    if (state == null) {
      state = Vec.of(u0);
    } else {
      state.set(u0);
    }
    // One TSSolve over a time span that lands on every output time; a monitor takes the states
    // and step numbers there (the adjoint runs back one output interval at a time).
    double[] span = new double[outputTimes.length + 1];
    span[0] = t0;
    System.arraycopy(outputTimes, 0, span, 1, outputTimes.length);
    try {
      ts.timeSpan(span).maxTime(outputTimes[outputTimes.length - 1]);
      ts.solve(state);
      if (outputsTaken != outputTimes.length) {
        throw new IllegalStateException("the solve did not land on output time " + outputTimes[outputsTaken]);
      }
    } catch (PetscException e) {
      releaseTs();
      if (e.getCause() instanceof ArithmeticException diverged) {
        throw new SolutionDivergedException(method + " with " + describeSteps() + ": " + diverged.getMessage(), e);
      }
      throw e;
    }
    var stats = ts.statistics();
    counters.steps += stats.steps();
    counters.rejectedSteps += stats.rejectedSteps();
    counters.krylovIterations += ts.ksp().totalIterations() - kspBefore;
    PhaseCosts costs = counters.since(start, (System.nanoTime() - began) / 1e9);
    return new Solution(outputTimes.clone(), outputStates, costs);
  }

  /**
   * Wires a TS for this batch size; it is reused by later solves with the same batch size and
   * gradient flag (creating one costs about a millisecond: shells, upcall stubs, set-up).
   */
  private org.panode.petsc.Ts createTs(int batch, boolean forGradient, Checkpointing storage) {
    if (problem == null) {
      current = new ImplicitTs(implicitProblem, method, linearSolver, batch, counters);
    } else {
      if (linearSolver instanceof LinearSolver.DirectLu && lu == null) {
        lu = ShiftedSolver.forTerm(problem.implicit(), counters); // kept across solves: refactored only when J or the shift changes
      }
      current = new SplitTs(problem, method, linearSolver, linearSolver instanceof LinearSolver.DirectLu ? lu : null,
          batch, counters);
    }
    wiringBatch = batch;
    wiringForGradient = forGradient;
    freshTs = true;
    var ts = current.ts();
    if (optionsPrefix != null) {
      ts.optionsPrefix(optionsPrefix);
    }
    ts.exactFinalTime(org.panode.petsc.Ts.ExactFinalTime.MATCHSTEP).maxSteps(Integer.MAX_VALUE).adaptive(steps.adaptive());
    if (steps.adaptive()) {
      ts.tolerances(steps.absoluteTolerance(), steps.relativeTolerance());
    }
    if (forGradient) {
      ts.checkpointing(storage);
    }
    ts.monitor(this::takeOutput);
    ts.setFromOptions();
    current.optionsApplied();
    return ts;
  }

  private void takeOutput(int step, double t, Vec u) {
    while (outputsTaken < times.length && Math.abs(t - times[outputsTaken]) <= 1e-9 * Math.max(1, Math.abs(t))) {
      outputStates[outputsTaken] = u.toArray();
      stepsAtOutput[outputsTaken] = step;
      outputsTaken++;
    }
  }

  private String describeSteps() {
    return steps.adaptive() ? "adaptive steps from " + steps.initialStep() : "step " + steps.initialStep();
  }

  private static void checkTimes(double t0, double[] outputTimes) {
    if (outputTimes.length == 0) {
      throw new IllegalArgumentException("give at least one output time");
    }
    double previous = t0;
    for (int k = 0; k < outputTimes.length; k++) {
      if (!(outputTimes[k] > previous)) {
        throw new IllegalArgumentException("output times must increase after t0 = " + t0 + ": got "
            + Arrays.toString(outputTimes));
      }
      previous = outputTimes[k];
    }
  }

  /**
   * The gradient of a loss L(u(t_1), ..., u(t_K)) given dL/du(t_k) for the last {@link #solve}
   * (which must have been made with forGradient): dL/dtheta and dL/du0.
   */
  public Gradients gradient(double[][] lossGradients) {
    if (current == null || stepsAtOutput == null || !wiringForGradient || gradientTaken) {
      throw new IllegalStateException("call solve(..., forGradient = true) before gradient(), once per solve");
    }
    if (lossGradients.length != times.length) {
      throw new IllegalArgumentException("expected dL/du at " + times.length + " output times, got " + lossGradients.length);
    }
    int n = batch * dimension();
    for (double[] g : lossGradients) {
      if (g.length != n) {
        throw new IllegalArgumentException("each dL/du(t_k) must have " + n + " values, got " + g.length);
      }
    }
    Counters start = counters.copy();
    long began = System.nanoTime();
    var ts = current.ts();
    int parameters = Math.max(1, current.parameterCount());
    int kspBefore = ts.ksp().totalIterations();
    try (Vec lambda = Vec.of(lossGradients[times.length - 1]); Vec mu = Vec.sequential(parameters)) {
      mu.zero();
      ts.costGradients(new Vec[] {lambda}, new Vec[] {mu});
      for (int k = times.length - 1; k >= 0; k--) {
        int intervalSteps = stepsAtOutput[k] - (k == 0 ? 0 : stepsAtOutput[k - 1]);
        if (intervalSteps > 0) {
          ts.adjointSteps(intervalSteps).adjointSolve();
          counters.steps += intervalSteps;
        }
        if (k > 0) {
          try (VecArray a = lambda.array()) {
            double[] add = lossGradients[k - 1];
            for (int i = 0; i < n; i++) {
              a.set(i, a.get(i) + add[i]);
            }
          }
        }
      }
      counters.krylovIterations += ts.ksp().totalIterations() - kspBefore;
      double[] dTheta = current.parameterCount() == 0 ? new double[0] : mu.toArray();
      double[] dU0 = lambda.toArray();
      remember(false);
      PhaseCosts costs = counters.since(start, (System.nanoTime() - began) / 1e9);
      gradientTaken = true;
      return new Gradients(dTheta, dU0, costs);
    } catch (RuntimeException e) {
      releaseTs();
      throw e;
    }
  }

  /**
   * Tells the network term whether the adjoint's JVPs and VJPs will follow at the states of this
   * solve (so it may keep its forward passes); off only if this ODE turned it on.
   */
  private void remember(boolean on) {
    if (on || remembering) {
      (problem != null ? problem.explicit() : implicitProblem.term()).rememberEvaluations(on);
    }
    remembering = on;
  }

  private void releaseTs() {
    remember(false);
    if (state != null) {
      state.close();
      state = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  public void close() {
    releaseTs();
    if (lu != null) {
      lu.close();
      lu = null;
    }
  }
}

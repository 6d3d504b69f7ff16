package org.panode.solve;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.panode.ode.Checkpointing;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.PhaseCosts;
import org.panode.ode.Problem;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Comm;
import org.panode.petsc.Mat;
import org.panode.petsc.Petsc;
import org.panode.petsc.Ts;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/**
 * One PETSc TS wired to a problem for one batch size, and the forward solve and segmented adjoint
 * it runs. One subclass per method kind owns its callbacks; what one callback computes for another
 * travels in a {@link LinearizationPoint}. The wiring owns its TS, matrices, vectors and buffers
 * and frees them on {@link #close()}.
 */
abstract sealed class Wiring implements AutoCloseable permits ImexWiring, ExplicitWiring, SplitImplicitWiring, ImplicitWiring {
  final Ts ts;
  final int batch;
  final int n;
  final Counters counters;
  final Arena buffers = Arena.ofConfined();
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final boolean forGradient;
  private final SaveRecorder recorder = new SaveRecorder();
  private double[] initialStates;
  /** lambda of the adjoint: dL/du at the save times, carried back to dL/du0. */
  private Vec adjointState;
  private final TrajectoryStorage storage = new TrajectoryStorage();
  private boolean trajectoryUsed;
  private Vec state;
  /** PETSc's -ts_max_steps, a cap on every solve's steps (none: Integer.MAX_VALUE). */
  private int optionsMaxSteps = Integer.MAX_VALUE;

  Wiring(int dimension, int batch, boolean forGradient, Counters counters) {
    this.batch = batch;
    this.n = dimension * batch;
    this.forGradient = forGradient;
    this.counters = counters;
    this.ts = Ts.create(Comm.self());
  }

  /**
   * A configured wiring: callbacks set, the config's options applied, then PETSc's options (the
   * command line wins), then the TS type checked against what the wiring can serve.
   */
  static Wiring create(Problem problem, SolverConfig config, int batch, boolean forGradient, Counters counters,
      ShiftedSolver lu, Checkpointing firstStorage) {
    Wiring w = switch (problem) {
      case ImplicitProblem p -> new ImplicitWiring(p, config.linearSolver(), batch, forGradient, counters);
      case SplitProblem p -> switch (config.method().kind()) {
        case IMEX -> new ImexWiring(p, config.linearSolver(), lu, batch, forGradient, counters);
        case EXPLICIT -> new ExplicitWiring(p, batch, forGradient, counters);
        case IMPLICIT -> new SplitImplicitWiring(p, config.linearSolver(), lu, batch, forGradient, counters);
      };
    };
    try {
      w.wire(config);
      w.configure(config, firstStorage);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** Sets the TS type and the callbacks. */
  abstract void wire(SolverConfig config);

  /** Whether this wiring's callbacks serve a TS of this type (checked after setFromOptions). */
  abstract boolean serves(String tsType);

  /** What a user can do instead when options ask for a type this wiring does not serve. */
  abstract String alternatives();

  /** After setFromOptions, when the TS type is final. */
  void optionsApplied() {}

  /** The length of the parameter gradient. */
  abstract int parameterCount();

  /** Where the callbacks sum the parameter gradient instead of PETSc (no mu for PETSc), or null. */
  ParameterSum javaParameterSum() {
    return null;
  }

  private void configure(SolverConfig config, Checkpointing firstStorage) {
    if (config.optionsPrefix() != null) {
      ts.optionsPrefix(config.optionsPrefix());
    }
    StepControl steps = config.steps();
    ts.exactFinalTime(Ts.ExactFinalTime.MATCHSTEP).maxSteps(Integer.MAX_VALUE).adaptive(steps.adaptive());
    if (steps.adaptive()) {
      ts.tolerances(steps.absoluteTolerance(), steps.relativeTolerance());
    }
    if (forGradient) {
      storage.apply(ts, firstStorage, false);
    }
    ts.monitor(recorder::take);
    ts.setFromOptions();
    optionsMaxSteps = Petsc.current().options().get(config.optionsPrefix(), "ts_max_steps").map(v -> {
      try {
        return Math.max(0, Integer.parseInt(v.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("-ts_max_steps must be a whole number, got '" + v + "'");
      }
    }).orElse(Integer.MAX_VALUE);
    String type = ts.type();
    if (!serves(type)) {
      throw new IllegalArgumentException("PETSc options set the TS type to '" + type + "', which Panode's "
          + config.method().kind().toString().toLowerCase(java.util.Locale.ROOT) + " wiring of " + config.method()
          + " cannot serve; " + alternatives());
    }
    optionsApplied();
  }

  <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  /**
   * A copy of u0 in this wiring's own array, for the run of its latest trajectory (each solve
   * supersedes the one before, so one array serves them all).
   */
  double[] keepInitialStates(double[] u0) {
    if (initialStates == null || initialStates.length != u0.length) {
      initialStates = new double[u0.length];
    }
    System.arraycopy(u0, 0, initialStates, 0, u0.length);
    return initialStates;
  }

  /** The states at the save times, the step numbers there, and the costs. */
  record Forward(double[][] states, int[] steps, PhaseCosts costs) {}

  /** Integrates the batch from saveAt.t0() and returns the states at the save times. */
  Forward forward(double[] u0, SaveAt saveAt, StepControl steps, Checkpointing storagePolicy, int maxSteps) {
    Counters start = counters.copy();
    long began = System.nanoTime();
    if (forGradient && trajectoryUsed) {
      storage.apply(ts, storagePolicy, true);
    }
    trajectoryUsed = true;
    ts.time(saveAt.t0()).stepNumber(0).timeStep(steps.initialStep()).maxSteps(Math.min(maxSteps, optionsMaxSteps));
    int kspBefore = ts.ksp().totalIterations();
    if (state == null) {
      state = Vec.of(u0);
    } else {
      state.set(u0);
    }
    // One TSSolve over a time span that lands on every save time; the monitor takes the states and
    // step numbers there (the adjoint runs back one save interval at a time).
    double[] times = saveAt.times();
    double[] span = new double[times.length + 1];
    span[0] = saveAt.t0();
    System.arraycopy(times, 0, span, 1, times.length);
    recorder.start(saveAt);
    ts.timeSpan(span).maxTime(saveAt.end());
    ts.solve(state);
    if (ts.stepNumber() >= optionsMaxSteps && ts.time() < saveAt.end()) {
      throw new IllegalStateException("the solve stopped at -ts_max_steps " + optionsMaxSteps + " (t = " + ts.time()
          + "), before the last save time " + saveAt.end());
    }
    double[][] states = recorder.states();
    recorder.requireEndsAt(ts.stepNumber());
    var stats = ts.statistics();
    counters.steps += stats.steps();
    counters.rejectedSteps += stats.rejectedSteps();
    counters.krylovIterations += ts.ksp().totalIterations() - kspBefore;
    return new Forward(states, recorder.steps(), counters.since(start, (System.nanoTime() - began) / 1e9));
  }

  /**
   * The discrete adjoint of the last forward solve for one loss, run one save interval at a time
   * with dL/du(t_k) added between intervals. PETSc's trajectory is used up by it: the next adjoint
   * needs a new forward solve. (One loss per adjoint: PETSc fixes a TS's number of cost functions
   * at its first adjoint.) dL/dtheta goes into {@code parametersInto}, dL/du0 into
   * {@code initialStateInto}, when they are not null. The adjoint vector lambda is this wiring's,
   * reused from one adjoint to the next.
   */
  Gradients adjoint(double[][] lossGradients, int[] stepsAtSave, double[] parametersInto, double[] initialStateInto) {
    Counters start = counters.copy();
    long began = System.nanoTime();
    int kspBefore = ts.ksp().totalIterations();
    ParameterSum summed = javaParameterSum();
    double[] last = lossGradients[lossGradients.length - 1];
    if (adjointState == null) {
      adjointState = own(Vec.of(last));
    } else {
      adjointState.set(last);
    }
    Vec lambda = adjointState;
    try (Vec mu = summed == null ? Vec.sequential(Math.max(1, parameterCount())) : null) {
      if (summed == null) {
        mu.zero();
        ts.costGradients(new Vec[] {lambda}, new Vec[] {mu});
      } else {
        ts.costGradients(new Vec[] {lambda}, null);
        summed.begin(parametersInto);
      }
      for (int k = stepsAtSave.length - 1; k >= 0; k--) {
        int intervalSteps = stepsAtSave[k] - (k == 0 ? 0 : stepsAtSave[k - 1]);
        if (intervalSteps > 0) {
          ts.adjointSteps(intervalSteps).adjointSolve();
          counters.steps += intervalSteps;
        }
        if (k > 0) {
          addInto(lambda, lossGradients[k - 1]);
        }
      }
      counters.krylovIterations += ts.ksp().totalIterations() - kspBefore;
      PhaseCosts phase = counters.since(start, (System.nanoTime() - began) / 1e9);
      double[] parameters = parameterCount() == 0 ? new double[0]
          : summed != null ? summed.finish()
          : parametersInto != null ? mu.copyTo(parametersInto) : mu.toArray();
      return new Gradients(parameters, initialStateInto != null ? lambda.copyTo(initialStateInto) : lambda.toArray(), phase);
    }
  }

  private static void addInto(Vec v, double[] add) {
    try (VecArray a = v.array()) {
      for (int i = 0; i < add.length; i++) {
        a.set(i, a.get(i) + add[i]);
      }
    }
  }

  /** A parameter Jacobian shell: only transpose products (the adjoint's); forward sensitivities are refused. */
  Mat parameterShell(Mat.Product transposeProduct) {
    return own(Mat.shell(n, Math.max(1, parameterCount()), (x, y) -> {
      throw new UnsupportedOperationException("forward parameter sensitivities are not supported; use the adjoint");
    }, transposeProduct));
  }

  /** The theta family, whose adjoint needs no RHS parameter Jacobian. */
  static final java.util.Set<String> THETA_TYPES = java.util.Set.of("theta", "cn", "beuler");

  /** TS types that take only a right-hand side (no IFunction): explicit methods. */
  static final java.util.Set<String> RHS_ONLY_TYPES = java.util.Set.of("rk", "euler", "ssp");

  /**
   * Gives a fully implicit wiring (IFunction only) the all-zero RHS parameter Jacobian that the
   * ARKIMEX adjoint calls unguarded (NULL: a crash), unless the TS is of the theta family: there,
   * each adjoint step adds it to the IJacobianP shell with MatAXPY, which nests one more shell per
   * call, so every product walked a chain as long as the steps taken since the TS was made (POLLU's
   * epochs grew from 0.15 s to 4.7 s over 10 epochs).
   */
  void zeroRhsParameterJacobianUnlessTheta() {
    if (THETA_TYPES.contains(ts.type())) {
      return;
    }
    Mat zero = own(Mat.shell(n, Math.max(1, parameterCount()), (x, y) -> y.zero(), (x, y) -> y.zero()));
    ts.rhsJacobianP(zero, (t, u, a) -> {});
  }

  @Override
  public void close() {
    if (state != null) {
      state.close();
      state = null;
    }
    ts.close();
    for (AutoCloseable c : owned.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    owned.clear();
    storage.close();
    if (buffers.scope().isAlive()) {
      buffers.close();
    }
  }
}

package org.panode.solve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.panode.nn.BatchThreads;
import org.panode.ode.Checkpointing;
import org.panode.ode.LinearTerm;
import org.panode.ode.Problem;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscException;

/**
 * Solves one problem with one configuration, for batches of initial states, on PETSc TS; each call
 * returns a {@link Trajectory}.
 *
 * <pre>{@code
 * try (Trajectory tr = Solver.solve(problem, config, u0, batch, SaveAt.times(1.0, 2.0))) {
 *   double[][] states = tr.states();
 *   Gradients g = tr.gradient(dLdu);          // dL/dtheta = [theta_J, theta_G] and dL/du0
 * }
 * }</pre>
 *
 * <p>Training solves the same shapes thousands of times, and building a TS (shells, upcall stubs,
 * set-up) costs about a millisecond, so a {@code Solver} keeps the TS it built for each batch size,
 * number of save times and kind of solve (forward only, or for a gradient; the four most recent). The ownership rule: a
 * trajectory holds its TS from its solve until it is closed or a later solve of the same shape on
 * the same Solver takes the TS (the earlier trajectory is then superseded: using it is an
 * IllegalStateException, never a stale gradient); closing the Solver frees every TS and ends every
 * trajectory. The static {@link #solve(Problem, SolverConfig, double[], int, SaveAt)} makes a
 * trajectory that owns a Solver of its own.
 *
 * <p>The configuration is checked against the problem here, once, and against the TS type again
 * after PETSc's options are read (at the first solve of each shape): -ts_type may change a method
 * within the family its wiring serves (e.g. -ts_arkimex_type 3), and a type outside it is refused
 * with what would work. Not thread-safe.
 */
public final class Solver implements AutoCloseable {
  private static final int KEPT_WIRINGS = 4;

  /** What a TS is made for: PETSc cannot change a solved TS's number of save times (its time span). */
  private record Shape(int batch, boolean forGradient, int saveTimes) {}

  private final Problem problem;
  /** As given, with -ts_dt applied at the first solve ({@link #applyStepOption}). */
  private SolverConfig config;
  private boolean stepOptionRead;
  private final Counters counters = new Counters();
  private final Map<Shape, Wiring> wirings = new LinkedHashMap<>(8, 0.75f, true);
  private final Map<Shape, Trajectory> holders = new LinkedHashMap<>();
  private final Map<Trajectory, Boolean> remembering = new IdentityHashMap<>();
  private ShiftedSolver lu;
  private boolean closed;

  private Solver(Problem problem, SolverConfig config) {
    this.problem = problem;
    this.config = config;
  }

  /** A solver of this problem with this configuration (checked now, before any work). */
  public static Solver of(Problem problem, SolverConfig config) {
    Objects.requireNonNull(config, "config").check(problem);
    return new Solver(problem, config);
  }

  /** One solve whose trajectory owns everything it made; it can be differentiated until closed. */
  public static Trajectory solve(Problem problem, SolverConfig config, double[] u0, int batch, SaveAt saveAt) {
    Solver solver = of(problem, config);
    try {
      return solver.start(u0, batch, saveAt, true, true);
    } catch (RuntimeException e) {
      solver.close();
      throw e;
    }
  }

  public Problem problem() {
    return problem;
  }

  public SolverConfig config() {
    return config;
  }

  public int dimension() {
    return problem.dimension();
  }

  /** Integrates the batch (m states, sample-major, m*d values) to the save times; no gradient. */
  public Trajectory solve(double[] u0, int batch, SaveAt saveAt) {
    return start(u0, batch, saveAt, false, false);
  }

  /** Integrates the batch and keeps the trajectory for {@link Trajectory#gradient}. */
  public Trajectory solveForGradient(double[] u0, int batch, SaveAt saveAt) {
    return start(u0, batch, saveAt, true, false);
  }

  private Trajectory start(double[] u0, int batch, SaveAt saveAt, boolean forGradient, boolean ownsSolver) {
    requireOpen();
    Objects.requireNonNull(saveAt, "save times");
    int d = problem.dimension();
    if (batch <= 0 || u0.length != (long) batch * d) {
      throw new IllegalArgumentException("initial states: expected batch x d = " + batch + " x " + d + " = "
          + (long) batch * d + " values, got " + u0.length);
    }
    int bad = BatchThreads.firstNonFinite(u0);
    if (bad >= 0) {
      throw new IllegalArgumentException("initial state of sample " + bad / d + " has " + u0[bad] + " at component " + bad % d);
    }
    applyStepOption();
    Shape shape = new Shape(batch, forGradient, saveAt.times().length);
    Checkpointing asked = config.checkpointing();
    boolean rememberForward = true;
    if (asked instanceof Checkpointing.Auto auto) {
      AutoCheckpointing choice = forGradient ? chooseCheckpointing(auto, batch, saveAt) : null;
      asked = choice == null ? Checkpointing.memory() : choice.choice();
      rememberForward = choice == null || choice.remember();
    }
    StridePlan stride = forGradient && asked instanceof Checkpointing.Stride s && !config.steps().adaptive()
        ? StridePlan.of(saveAt.t0(), saveAt.times(), config.steps().initialStep(), s.stride()) : null;
    // No stride of 2 or more divides the steps (a prime count): what auto found too large for memory goes to files
    // (in a temporary folder of Panode's own, removed after use); a stride asked for falls back to memory, as documented.
    Checkpointing policy = stride == null ? asked
        : stride.stride() > 1 ? Checkpointing.stride(stride.stride())
        : config.checkpointing() instanceof Checkpointing.Auto ? Checkpointing.disk(Path.of(System.getProperty("java.io.tmpdir")))
        : Checkpointing.memory();
    int maxSteps = stride == null ? Integer.MAX_VALUE : stride.steps();
    Trajectory previous = holders.remove(shape);
    if (previous != null) {
      previous.superseded("a later solve of the same batch size and save times on the same Solver took its TS");
      remember(previous, false);
    }
    Wiring wiring = wirings.get(shape);
    if (wiring == null) {
      wiring = Wiring.create(problem, config, batch, forGradient, counters, sharedLu(), policy);
      wirings.put(shape, wiring);
      evictBeyondLimit();
    }
    Trajectory.Run run = new Trajectory.Run(wiring.keepInitialStates(u0), saveAt, policy, maxSteps, rememberForward);
    var trajectory = new Trajectory(this, wiring, run, forGradient, ownsSolver);
    remember(trajectory, forGradient);
    try {
      trajectory.forwardDone(runForward(shape, wiring, run));
    } catch (RuntimeException e) {
      remember(trajectory, false);
      throw e;
    }
    holders.put(shape, trajectory);
    return trajectory;
  }

  /** What {@link Checkpointing.Auto} picks for a solve for a gradient of this batch to these save times. */
  AutoCheckpointing chooseCheckpointing(Checkpointing.Auto auto, int batch, SaveAt saveAt) {
    long steps = AutoCheckpointing.fixedSteps(config.steps(), saveAt.t0(), saveAt.times());
    long evaluations = steps < 0 ? 0 : steps * Math.max(1, AutoCheckpointing.storedStageVectors(config.method()));
    long remembered = problem.nonlinearTerm().rememberedBytes(batch, evaluations);
    return AutoCheckpointing.choose(auto, config.method(), problem.dimension(), batch, steps, remembered);
  }

  /** The forward solve of a run; on failure the TS is dropped (its state is not to be trusted). */
  Wiring.Forward runForward(Trajectory trajectory) {
    requireOpen();
    return runForward(shapeOf(trajectory), trajectory.wiring(), trajectory.run());
  }

  private Wiring.Forward runForward(Shape shape, Wiring wiring, Trajectory.Run run) {
    try {
      return wiring.forward(run.u0(), run.saveAt(), config.steps(), run.storage(), run.maxSteps());
    } catch (RuntimeException e) {
      drop(shape);
      if (e instanceof PetscException pe && pe.getCause() instanceof ArithmeticException diverged) {
        throw new SolutionDivergedException(config.method() + " with " + describeSteps() + ": " + diverged.getMessage(), e);
      }
      throw e;
    }
  }

  /** The adjoint of a trajectory's last forward solve; on failure the TS is dropped. */
  Gradients runAdjoint(Trajectory trajectory, double[][] lossGradients, int[] stepsAtSave, double[] parametersInto,
      double[] initialStateInto) {
    requireOpen();
    problem.nonlinearTerm().parametersMayHaveChanged(); // e.g. an optimizer step since another trajectory's adjoint
    try {
      return trajectory.wiring().adjoint(lossGradients, stepsAtSave, parametersInto, initialStateInto);
    } catch (RuntimeException e) {
      drop(shapeOf(trajectory));
      throw e;
    } finally {
      remember(trajectory, false);
    }
  }

  /** Turns the network's remembering of forward evaluations on for a trajectory about to be differentiated. */
  void remember(Trajectory trajectory, boolean on) {
    boolean before = !remembering.isEmpty();
    if (on && !trajectory.run().remember()) {
      return; // checkpointing chose to recompute; remembering would hold what it saves
    }
    if (on) {
      remembering.put(trajectory, Boolean.TRUE);
    } else {
      remembering.remove(trajectory);
    }
    boolean after = !remembering.isEmpty();
    if (on || before != after) {
      problem.nonlinearTerm().rememberEvaluations(after);
    }
  }

  /** A trajectory was closed: its TS stays for the next solve of its shape. */
  void released(Trajectory trajectory) {
    remember(trajectory, false);
    holders.values().remove(trajectory);
    if (trajectory.ownsSolver()) {
      close();
    }
  }

  private Shape shapeOf(Trajectory trajectory) {
    for (var e : wirings.entrySet()) {
      if (e.getValue() == trajectory.wiring()) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("this trajectory's TS is gone: it was dropped after a failure or by a later solve");
  }

  private void drop(Shape shape) {
    Wiring w = wirings.remove(shape);
    Trajectory holder = holders.remove(shape);
    if (holder != null) {
      holder.superseded("its TS was dropped after a failed solve or adjoint");
      remember(holder, false);
    }
    if (w != null) {
      w.close();
    }
  }

  private void evictBeyondLimit() {
    while (wirings.size() > KEPT_WIRINGS) {
      drop(wirings.keySet().iterator().next());
    }
  }

  private ShiftedSolver sharedLu() {
    if (problem instanceof SplitProblem split && config.linearSolver() instanceof LinearSolver.DirectLu && lu == null) {
      lu = newShiftedSolve(split.implicit());
    }
    return lu;
  }

  /** Solves with shift*I - J (banded LDL^T, GEMM or FFT for a circulant J, LU factors otherwise), kept across solves: refactored only when J or the shift changes. */
  private ShiftedSolver newShiftedSolve(LinearTerm j) {
    return ShiftedSolver.forTerm(j, counters);
  }

  /**
   * PETSc's -ts_dt (with the configuration's prefix) is the step, or the first adaptive step, of every
   * solve, as PETSc's options win over the configuration; read at the first solve, before the step
   * plans (stride checkpoints, the memory estimate) are made from it.
   */
  private void applyStepOption() {
    if (stepOptionRead) {
      return;
    }
    var given = Petsc.current().options().get(config.optionsPrefix(), "ts_dt");
    if (given.isPresent()) {
      double h;
      try {
        h = Double.parseDouble(given.get().strip());
      } catch (NumberFormatException e) {
        h = Double.NaN;
      }
      if (!(h > 0) || !Double.isFinite(h)) {
        throw new IllegalArgumentException("-" + (config.optionsPrefix() == null ? "" : config.optionsPrefix())
            + "ts_dt must be a positive number, got '" + given.get() + "'");
      }
      StepControl s = config.steps();
      config = config.withSteps(new StepControl(h, s.adaptive(), s.absoluteTolerance(), s.relativeTolerance()));
    }
    stepOptionRead = true;
  }

  private String describeSteps() {
    var steps = config.steps();
    return steps.adaptive() ? "adaptive steps from " + steps.initialStep() : "step " + steps.initialStep();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this Solver is closed");
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frees every TS; every trajectory of this Solver is then closed. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Shape shape : new ArrayList<>(wirings.keySet())) {
      drop(shape);
    }
    if (!remembering.isEmpty()) {
      remembering.clear();
      problem.nonlinearTerm().rememberEvaluations(false);
    }
    if (lu != null) {
      lu.close();
      lu = null;
    }
  }
}

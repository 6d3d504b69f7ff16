package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.panode.internal.bindings.PanodeIJacobianPFn;
import org.panode.internal.bindings.PanodeTSMonitorFn;
import org.panode.internal.bindings.PetscApi;
import org.panode.internal.bindings.TSIFunctionFn;
import org.panode.internal.bindings.TSIJacobianFn;
import org.panode.internal.bindings.TSRHSFunctionFn;
import org.panode.internal.bindings.TSRHSJacobianFn;
import org.panode.internal.bindings.TSRHSJacobianPFn;
import org.panode.nn.BatchThreads;

/**
 * A PETSc time stepper (TS) for u' = G(t, u) (RHS form), F(t, u, u') = 0 (implicit form) or both
 * (IMEX: ARKIMEX treats the RHS explicitly and the IFunction implicitly), with the discrete adjoint
 * (TSAdjoint). Types by name: "arkimex" (with {@link #arkimexType}), "rk" (with {@link #rkType}),
 * "beuler", "cn", "theta", or any registered TS type. Call {@link #setFromOptions()} last so that
 * -ts_* options override what the program set.
 *
 * <p>Callback arguments (vectors, matrices) are valid only during the callback. An exception thrown
 * by a callback ends the PETSc call and becomes the cause of the PetscException it throws.
 */
public final class Ts extends NativeHandle {
  /** What the last step does when it would pass the final time. */
  public enum ExactFinalTime {
    /** Step past it. */
    STEPOVER,
    /** Step past it and interpolate back. */
    INTERPOLATE,
    /** Shorten the last step to land on it. */
    MATCHSTEP;

    int code() {
      return switch (this) {
        case STEPOVER -> TS_EXACTFINALTIME_STEPOVER();
        case INTERPOLATE -> TS_EXACTFINALTIME_INTERPOLATE();
        case MATCHSTEP -> TS_EXACTFINALTIME_MATCHSTEP();
      };
    }
  }

  private final Callbacks held = new Callbacks();
  private boolean savesTrajectory;
  private boolean hasCostGradients;
  private String prefix;
  private Comm comm;
  /** The monitors set from Java, in order (-ts_monitor_cancel removes them from PETSc: they are set again). */
  private final List<MemorySegment> monitorStubs = new java.util.ArrayList<>();
  /** The time span's length (0: none), and whether a solve has set the TS up with it. */
  private int spanLength;
  private boolean solveCalled;

  private Ts(MemorySegment handle) {
    super("TS", handle, PetscApi::TSDestroy);
  }

  /** A TS on the communicator; it checks after every step that the state is finite ({@link FiniteStateCheck}). */
  public static Ts create(Comm comm) {
    Petsc.checkThread();
    Ts ts = new Ts(Scratch.pointerOut(cell -> TSCreate(comm.handle(), cell), "TSCreate"));
    ts.comm = comm;
    try {
      ts.monitor(FiniteStateCheck::require);
    } catch (RuntimeException e) {
      ts.close();
      throw e;
    }
    return ts;
  }

  // ---- type

  /** TS type by name: "arkimex", "rk", "beuler", "cn", "theta", ... */
  public Ts type(String type) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSSetType(ptr(), arena.allocateFrom(type)), "TSSetType(" + type + ")");
    }
    return this;
  }

  public String type() {
    return Scratch.stringOut(cell -> TSGetType(ptr(), cell), "TSGetType");
  }

  /** Sets type "arkimex" with this tableau: "l2", "3", "4", "5", "a2", "ars122", ... */
  public Ts arkimexType(String tableau) {
    type("arkimex");
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSARKIMEXSetType(ptr(), arena.allocateFrom(tableau)), "TSARKIMEXSetType(" + tableau + ")");
    }
    return this;
  }

  public String arkimexType() {
    return Scratch.stringOut(cell -> TSARKIMEXGetType(ptr(), cell), "TSARKIMEXGetType");
  }

  /** Sets type "rk" with this tableau: "1fe", "2a", "3", "3bs", "4", "5dp", "5f", "5bs", ... */
  public Ts rkType(String tableau) {
    type("rk");
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSRKSetType(ptr(), arena.allocateFrom(tableau)), "TSRKSetType(" + tableau + ")");
    }
    return this;
  }

  public String rkType() {
    return Scratch.stringOut(cell -> TSRKGetType(ptr(), cell), "TSRKGetType");
  }

  /** Linear (the SNES does one linear solve per stage) or nonlinear problem. */
  public Ts linearProblem(boolean linear) {
    PetscErrors.check(TSSetProblemType(ptr(), linear ? TS_LINEAR() : TS_NONLINEAR()), "TSSetProblemType");
    return this;
  }

  // ---- equations

  /** The explicit right-hand side G(t, u). */
  public Ts rhsFunction(TsCallback.RhsFunction function) {
    Vec u = Vec.borrowed(), f = Vec.borrowed();
    MemorySegment stub = TSRHSFunctionFn.allocate((ts, t, up, fp, ctx) ->
        Upcalls.guarded(() -> function.apply(t, u.bound(up), f.bound(fp)), u, f), arena());
    PetscErrors.check(TSSetRHSFunction(ptr(), MemorySegment.NULL, stub, MemorySegment.NULL), "TSSetRHSFunction");
    return this;
  }

  /** dG/du: the matrices it fills (kept alive by this TS) and the function that fills them. */
  public Ts rhsJacobian(Mat a, Mat p, TsCallback.RhsJacobian jacobian) {
    Vec u = Vec.borrowed();
    Mat ba = Mat.borrowed(), bp = Mat.borrowed();
    MemorySegment stub = TSRHSJacobianFn.allocate((ts, t, up, ap, pp, ctx) -> Upcalls.guarded(
        () -> jacobian.apply(t, u.bound(up), Callbacks.match(ap, a, ba), Callbacks.match(pp, p, bp)), u, ba, bp), arena());
    PetscErrors.check(TSSetRHSJacobian(ptr(), a.ptr(), p.ptr(), stub, MemorySegment.NULL), "TSSetRHSJacobian");
    held.hold("rhsJacobianA", a);
    held.hold("rhsJacobianP", p);
    return this;
  }

  /** The implicit function F(t, u, u'). For ARKIMEX with an adjoint, write it as u' - f(u). */
  public Ts iFunction(TsCallback.IFunction function) {
    Vec u = Vec.borrowed(), uDot = Vec.borrowed(), f = Vec.borrowed();
    MemorySegment stub = TSIFunctionFn.allocate((ts, t, up, udp, fp, ctx) -> Upcalls.guarded(
        () -> function.apply(t, u.bound(up), uDot.bound(udp), f.bound(fp)), u, uDot, f), arena());
    PetscErrors.check(TSSetIFunction(ptr(), MemorySegment.NULL, stub, MemorySegment.NULL), "TSSetIFunction");
    return this;
  }

  /** dF/du + shift dF/du': the matrices (kept alive by this TS) and the function that fills them. */
  public Ts iJacobian(Mat a, Mat p, TsCallback.IJacobian jacobian) {
    Vec u = Vec.borrowed(), uDot = Vec.borrowed();
    Mat ba = Mat.borrowed(), bp = Mat.borrowed();
    MemorySegment stub = TSIJacobianFn.allocate((ts, t, up, udp, shift, ap, pp, ctx) -> Upcalls.guarded(
        () -> jacobian.apply(t, u.bound(up), uDot.bound(udp), shift, Callbacks.match(ap, a, ba), Callbacks.match(pp, p, bp)),
        u, uDot, ba, bp), arena());
    PetscErrors.check(TSSetIJacobian(ptr(), a.ptr(), p.ptr(), stub, MemorySegment.NULL), "TSSetIJacobian");
    held.hold("iJacobianA", a);
    held.hold("iJacobianP", p);
    return this;
  }

  /** dG/dp for parameter sensitivities (state size x parameter count matrix, kept alive by this TS). */
  public Ts rhsJacobianP(Mat a, TsCallback.RhsJacobianP jacobian) {
    Vec u = Vec.borrowed();
    Mat ba = Mat.borrowed();
    MemorySegment stub = TSRHSJacobianPFn.allocate((ts, t, up, ap, ctx) -> Upcalls.guarded(
        () -> jacobian.apply(t, u.bound(up), Callbacks.match(ap, a, ba)), u, ba), arena());
    PetscErrors.check(TSSetRHSJacobianP(ptr(), a.ptr(), stub, MemorySegment.NULL), "TSSetRHSJacobianP");
    held.hold("rhsJacobianParameters", a);
    return this;
  }

  /**
   * dF/dp for parameter sensitivities. With ARKIMEX, set {@link #rhsJacobianP} too (an all-zero
   * matrix if the explicit part has no parameters; a different Mat object): PETSc's adjoint step
   * calls it unconditionally.
   */
  public Ts iJacobianP(Mat a, TsCallback.IJacobianP jacobian) {
    Vec u = Vec.borrowed(), uDot = Vec.borrowed();
    Mat ba = Mat.borrowed();
    MemorySegment stub = PanodeIJacobianPFn.allocate((ts, t, up, udp, shift, ap, ctx) -> Upcalls.guarded(
        () -> jacobian.apply(t, u.bound(up), uDot.bound(udp), shift, Callbacks.match(ap, a, ba)), u, uDot, ba), arena());
    PetscErrors.check(TSSetIJacobianP(ptr(), a.ptr(), stub, MemorySegment.NULL), "TSSetIJacobianP");
    held.hold("iJacobianParameters", a);
    return this;
  }

  /** Adds a monitor called after every accepted step. */
  public Ts monitor(TsCallback.Monitor monitor) {
    Vec u = Vec.borrowed();
    MemorySegment stub = PanodeTSMonitorFn.allocate((ts, step, t, up, ctx) ->
        Upcalls.guarded(() -> monitor.apply(step, t, u.bound(up)), u), arena());
    PetscErrors.check(TSMonitorSet(ptr(), stub, MemorySegment.NULL, MemorySegment.NULL), "TSMonitorSet");
    monitorStubs.add(stub);
    return this;
  }

  // ---- time

  /** The time the next solve starts from. */
  public Ts time(double t) {
    PetscErrors.check(TSSetTime(ptr(), t), "TSSetTime");
    return this;
  }

  public double time() {
    return Scratch.doubleOut(cell -> TSGetTime(ptr(), cell), "TSGetTime");
  }

  /** The (initial) step size. */
  public Ts timeStep(double dt) {
    if (!(dt > 0) || !Double.isFinite(dt)) {
      throw new IllegalArgumentException("time step must be positive and finite, got " + dt);
    }
    PetscErrors.check(TSSetTimeStep(ptr(), dt), "TSSetTimeStep");
    return this;
  }

  public double timeStep() {
    return Scratch.doubleOut(cell -> TSGetTimeStep(ptr(), cell), "TSGetTimeStep");
  }

  /** The final time of a solve. */
  public Ts maxTime(double t) {
    PetscErrors.check(TSSetMaxTime(ptr(), t), "TSSetMaxTime");
    return this;
  }

  public double maxTime() {
    return Scratch.doubleOut(cell -> TSGetMaxTime(ptr(), cell), "TSGetMaxTime");
  }

  /**
   * Times the solve must step to exactly (increasing; the first usually the start time): steps are
   * shortened to land on them, so the state at each is available (e.g. from a monitor). Needs
   * {@link ExactFinalTime#MATCHSTEP}. Once the TS has solved, the number of times is fixed: PETSc
   * 3.22 frees its span's vectors on a new length without making them again (the next solve would
   * crash), so another length is refused.
   */
  public Ts timeSpan(double[] times) {
    if (times.length < 2) {
      throw new IllegalArgumentException("a time span needs at least two times");
    }
    if (solveCalled && times.length != spanLength) {
      throw new IllegalStateException("this TS solved with a time span of " + spanLength + " times; PETSc cannot change it"
          + " to " + times.length + " (make a new TS for another number of times)");
    }
    spanLength = times.length;
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSSetTimeSpan(ptr(), times.length, arena.allocateFrom(C_DOUBLE, times)), "TSSetTimeSpan");
    }
    return this;
  }

  /** The most steps a solve may take (counted from step 0 of the TS). */
  public Ts maxSteps(int steps) {
    PetscErrors.check(TSSetMaxSteps(ptr(), steps), "TSSetMaxSteps");
    return this;
  }

  public Ts stepNumber(int step) {
    PetscErrors.check(TSSetStepNumber(ptr(), step), "TSSetStepNumber");
    return this;
  }

  public int stepNumber() {
    return Scratch.intOut(cell -> TSGetStepNumber(ptr(), cell), "TSGetStepNumber");
  }

  public Ts exactFinalTime(ExactFinalTime mode) {
    PetscErrors.check(TSSetExactFinalTime(ptr(), mode.code()), "TSSetExactFinalTime");
    return this;
  }

  /** Adaptive step control (TSAdapt "basic") or fixed steps ("none"). */
  public Ts adaptive(boolean adaptive) {
    MemorySegment adapt = Scratch.pointerOut(cell -> TSGetAdapt(ptr(), cell), "TSGetAdapt");
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSAdaptSetType(adapt, arena.allocateFrom(adaptive ? "basic" : "none")), "TSAdaptSetType");
    }
    return this;
  }

  /** Absolute and relative error tolerances of adaptive steps. */
  public Ts tolerances(double atol, double rtol) {
    PetscErrors.check(TSSetTolerances(ptr(), atol, MemorySegment.NULL, rtol, MemorySegment.NULL), "TSSetTolerances");
    return this;
  }

  /** The prefix of this TS's options, e.g. "fwd_" for -fwd_ts_type. */
  public Ts optionsPrefix(String prefix) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(TSSetOptionsPrefix(ptr(), arena.allocateFrom(prefix)), "TSSetOptionsPrefix");
    }
    this.prefix = prefix;
    return this;
  }

  /** Reads -ts_*, -snes_*, -ksp_*, -pc_* and -ts_trajectory_* options. Call it last. */
  public Ts setFromOptions() {
    boolean cancels = Options.INSTANCE.has(prefix, "ts_monitor_cancel");
    PetscErrors.check(TSSetFromOptions(ptr()), "TSSetFromOptions");
    if (cancels) { // meant for monitors set by options: the Java ones (the finiteness check, save-time recorders) go on
      for (MemorySegment stub : monitorStubs) {
        PetscErrors.check(TSMonitorSet(ptr(), stub, MemorySegment.NULL, MemorySegment.NULL), "TSMonitorSet");
      }
    }
    return this;
  }

  /** The nonlinear solver of implicit stages (valid while this TS lives). */
  public Snes snes() {
    return Snes.inside(this, Scratch.pointerOut(cell -> TSGetSNES(ptr(), cell), "TSGetSNES"));
  }

  /** The linear solver of implicit stages (valid while this TS lives). */
  public Ksp ksp() {
    return snes().ksp();
  }

  // ---- trajectory and adjoint

  /**
   * Saves the forward trajectory for the adjoint (TSSetSaveTrajectory) and returns a view of its
   * TSTrajectory to say how it is stored (valid while this TS lives; the trajectory object is
   * looked up at each call, so it stays right after {@link #resetTrajectory}).
   */
  public TsTrajectory saveTrajectory() {
    PetscErrors.check(TSSetSaveTrajectory(ptr()), "TSSetSaveTrajectory");
    savesTrajectory = true;
    return new TsTrajectory(this);
  }

  /** Forgets the saved trajectory (PETSc recreates it); configure it again with {@link #saveTrajectory}. */
  public Ts resetTrajectory() {
    PetscErrors.check(TSResetTrajectory(ptr()), "TSResetTrajectory");
    return this;
  }

  /**
   * The adjoint's terminal conditions and results: lambda[i] = dL_i/du at the final time (in) and
   * at the start (out); mu[i] = dL_i/dp (out, accumulated; zero it first), or null without
   * parameters. The vectors are kept alive by this TS.
   */
  public Ts costGradients(Vec[] lambda, Vec[] mu) {
    if (lambda.length == 0 || (mu != null && mu.length != lambda.length)) {
      throw new IllegalArgumentException("need one lambda per cost and, if given, one mu per cost");
    }
    MemorySegment lambdas = arena().allocate(C_POINTER, lambda.length);
    MemorySegment mus = mu == null ? MemorySegment.NULL : arena().allocate(C_POINTER, mu.length);
    for (int i = 0; i < lambda.length; i++) {
      lambdas.setAtIndex(C_POINTER, i, lambda[i].ptr());
      held.hold("lambda" + i, lambda[i]);
      if (mu != null) {
        mus.setAtIndex(C_POINTER, i, mu[i].ptr());
        held.hold("mu" + i, mu[i]);
      }
    }
    PetscErrors.check(TSSetCostGradients(ptr(), lambda.length, lambdas, mus), "TSSetCostGradients");
    hasCostGradients = true;
    return this;
  }

  /** Limits the next adjoint solve to this many steps back from the current one. */
  public Ts adjointSteps(int steps) {
    PetscErrors.check(TSAdjointSetSteps(ptr(), steps), "TSAdjointSetSteps");
    return this;
  }

  /** Runs the adjoint backward over the saved trajectory (or the steps set by {@link #adjointSteps}). */
  public Ts adjointSolve() {
    if (!savesTrajectory) {
      throw new IllegalStateException("the adjoint needs the forward trajectory: call checkpointing(...) before solve()");
    }
    if (!hasCostGradients) {
      throw new IllegalStateException("set the cost gradients (costGradients(lambda, mu)) before adjointSolve()");
    }
    int code = TSAdjointSolve(ptr());
    if (code != 0) {
      throw failed(PetscErrors.take(code, "TSAdjointSolve"));
    }
    return this;
  }

  // ---- solve

  /** Integrates from the current time to the final time; u holds the initial state, then the result. */
  public Ts solve(Vec u) {
    requireFiniteInitialState(u);
    solveCalled = true;
    int code = TSSolve(ptr(), u.ptr());
    if (code != 0) {
      throw TsTrajectory.explained(failed(PetscErrors.take(code, "TSSolve")));
    }
    int reason = Scratch.intOut(cell -> TSGetConvergedReason(ptr(), cell), "TSGetConvergedReason");
    if (reason < 0) {
      String name = ConvergedReasons.name(TSConvergedReasons(), reason);
      throw new PetscException("TSSolve failed: " + name + " at t = " + time() + ", step " + stepNumber(),
          PETSC_ERR_NOT_CONVERGED(), name, List.of(), null);
    }
    return this;
  }

  /**
   * Refuses a NaN or infinity in u before the solve. On several ranks every rank learns of it (a sum
   * over the TS's communicator): one rank alone refusing would leave the others in the collective
   * TSSolve, waiting for ever.
   */
  private void requireFiniteInitialState(Vec u) {
    long i;
    double value;
    try (VecArray a = u.readArray()) {
      i = BatchThreads.firstNonFinite(a.segment());
      value = i >= 0 ? a.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, i) : 0;
    }
    boolean alone = comm.isSelf();
    if (!alone) {
      double[] bad = {i >= 0 ? 1 : 0};
      comm.sum(bad);
      if (bad[0] > 0 && i < 0) {
        throw new IllegalArgumentException("the initial state is not finite on another rank (" + (int) bad[0] + " of "
            + comm.size() + ")");
      }
    }
    if (i >= 0) {
      throw new IllegalArgumentException("the initial state is not finite: " + (alone ? "" : "local ") + "entry " + i
          + " is " + value);
    }
  }

  /** How the last solve ended, e.g. "CONVERGED_TIME". */
  public String convergedReason() {
    return ConvergedReasons.name(TSConvergedReasons(),
        Scratch.intOut(cell -> TSGetConvergedReason(ptr(), cell), "TSGetConvergedReason"));
  }

  /** Counters since creation. */
  public TsStatistics statistics() {
    return new TsStatistics(stepNumber(),
        Scratch.intOut(cell -> TSGetStepRejections(ptr(), cell), "TSGetStepRejections"),
        Scratch.intOut(cell -> TSGetSNESIterations(ptr(), cell), "TSGetSNESIterations"),
        Scratch.intOut(cell -> TSGetKSPIterations(ptr(), cell), "TSGetKSPIterations"),
        Scratch.intOut(cell -> TSGetSNESFailures(ptr(), cell), "TSGetSNESFailures"));
  }

  @Override
  void afterDestroy() {
    held.releaseAll();
  }
}

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panode.internal.bindings.PanodePCApplyFn;
import org.panode.internal.bindings.PetscApi;

/**
 * A linear solver (KSP) with its preconditioner (PC): direct (preonly + lu), Krylov (gmres, cg,
 * ...), transpose solves and several right-hand sides at once. A solve that does not converge
 * throws a PetscException naming the reason.
 */
public final class Ksp extends NativeHandle {
  private final Callbacks held = new Callbacks();

  private Ksp(MemorySegment handle) {
    super("KSP", handle, PetscApi::KSPDestroy);
  }

  private Ksp(NativeHandle owner, MemorySegment handle) {
    super("KSP", owner, handle);
  }

  /** The KSP inside a SNES or TS: valid as long as its owner, whose arena keeps its callbacks. */
  static Ksp inside(NativeHandle owner, MemorySegment handle) {
    return new Ksp(owner, handle);
  }

  public static Ksp create(Comm comm) {
    Petsc.checkThread();
    return new Ksp(Scratch.pointerOut(cell -> KSPCreate(comm.handle(), cell), "KSPCreate"));
  }

  /** A direct solver: preonly + LU (sequential). */
  public static Ksp directLu(Mat a) {
    Ksp k = create(Comm.self());
    try {
      return k.operators(a, a).type("preonly").pcType("lu");
    } catch (RuntimeException e) {
      k.close();
      throw e;
    }
  }

  /** Sets the operator A and the matrix P the preconditioner is built from (often A itself). */
  public Ksp operators(Mat a, Mat p) {
    PetscErrors.check(KSPSetOperators(ptr(), a.ptr(), p.ptr()), "KSPSetOperators");
    if (!isBorrowed()) {
      held.hold("operator", a);
      held.hold("preconditioner", p);
    }
    return this;
  }

  /** KSP type by name: "preonly", "gmres", "cg", "bcgs", ... */
  public Ksp type(String type) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(KSPSetType(ptr(), arena.allocateFrom(type)), "KSPSetType(" + type + ")");
    }
    return this;
  }

  public String type() {
    return Scratch.stringOut(cell -> KSPGetType(ptr(), cell), "KSPGetType");
  }

  /** The preconditioner (valid while this KSP lives). */
  public Pc pc() {
    return Pc.inside(this, Scratch.pointerOut(cell -> KSPGetPC(ptr(), cell), "KSPGetPC"));
  }

  /** PC type by name: "lu", "ilu", "jacobi", "none", ... */
  public Ksp pcType(String type) {
    pc().type(type);
    return this;
  }

  /**
   * A preconditioner written in Java: y = apply(x) approximates A^-1 x; applyTranspose (may be null)
   * approximates A^-T x, for transpose solves. With type "preonly" it is the solver itself.
   */
  public Ksp shellPreconditioner(Mat.Product apply, Mat.Product applyTranspose) {
    pcType("shell");
    MemorySegment pc = pc().ptr();
    PetscErrors.check(PCShellSetApply(pc, pcStub(apply)), "PCShellSetApply");
    if (applyTranspose != null) {
      PetscErrors.check(PCShellSetApplyTranspose(pc, pcStub(applyTranspose)), "PCShellSetApplyTranspose");
    }
    return this;
  }

  private MemorySegment pcStub(Mat.Product product) {
    Vec x = Vec.borrowed(), y = Vec.borrowed();
    return PanodePCApplyFn.allocate((pc, xp, yp) -> {
      try {
        x.bind(xp);
        y.bind(yp);
        product.apply(x, y);
        return 0;
      } catch (Throwable t) {
        return PetscErrors.callbackFailed(t);
      } finally {
        x.unbind();
        y.unbind();
      }
    }, arena());
  }

  public String pcType() {
    return pc().type();
  }

  /** Relative and absolute residual tolerances and the iteration limit. */
  public Ksp tolerances(double rtol, double atol, int maxIterations) {
    PetscErrors.check(KSPSetTolerances(ptr(), rtol, atol, PETSC_DEFAULT(), maxIterations), "KSPSetTolerances");
    return this;
  }

  /** The prefix of this solver's options, e.g. "adj_" for -adj_ksp_type. */
  public Ksp optionsPrefix(String prefix) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(KSPSetOptionsPrefix(ptr(), arena.allocateFrom(prefix)), "KSPSetOptionsPrefix");
    }
    return this;
  }

  /** Reads -ksp_* and -pc_* options; call last so that they override what the program set. */
  public Ksp setFromOptions() {
    PetscErrors.check(KSPSetFromOptions(ptr()), "KSPSetFromOptions");
    return this;
  }

  /** Solves A x = b. */
  public Ksp solve(Vec b, Vec x) {
    PetscErrors.check(KSPSolve(ptr(), b.ptr(), x.ptr()), "KSPSolve");
    checkConverged("KSPSolve");
    return this;
  }

  /** Solves A^T x = b. */
  public Ksp solveTranspose(Vec b, Vec x) {
    PetscErrors.check(KSPSolveTranspose(ptr(), b.ptr(), x.ptr()), "KSPSolveTranspose");
    checkConverged("KSPSolveTranspose");
    return this;
  }

  /** Solves A X = B for the dense matrices' columns at once (factors reused across columns). */
  public Ksp solve(Mat b, Mat x) {
    PetscErrors.check(KSPMatSolve(ptr(), b.ptr(), x.ptr()), "KSPMatSolve");
    checkConverged("KSPMatSolve");
    return this;
  }

  /** Solves A^T X = B for dense matrices' columns at once. */
  public Ksp solveTranspose(Mat b, Mat x) {
    PetscErrors.check(KSPMatSolveTranspose(ptr(), b.ptr(), x.ptr()), "KSPMatSolveTranspose");
    checkConverged("KSPMatSolveTranspose");
    return this;
  }

  private void checkConverged(String what) {
    int reason = convergedReasonCode();
    if (reason < 0) {
      throw new PetscException(what + " did not converge: " + convergedReason() + " after " + iterations()
          + " iterations (tune -ksp_rtol, -ksp_max_it or the preconditioner)", PETSC_ERR_NOT_CONVERGED(),
          convergedReason(), java.util.List.of(), null);
    }
  }

  /** Iterations of the last solve. */
  public int iterations() {
    return Scratch.intOut(cell -> KSPGetIterationNumber(ptr(), cell), "KSPGetIterationNumber");
  }

  /** Iterations of all solves so far. */
  public int totalIterations() {
    return Scratch.intOut(cell -> KSPGetTotalIterations(ptr(), cell), "KSPGetTotalIterations");
  }

  int convergedReasonCode() {
    return Scratch.intOut(cell -> KSPGetConvergedReason(ptr(), cell), "KSPGetConvergedReason");
  }

  /** The reason the last solve stopped, e.g. "CONVERGED_RTOL" or "DIVERGED_ITS". */
  public String convergedReason() {
    return ConvergedReasons.name(KSPConvergedReasons(), convergedReasonCode());
  }

  @Override
  void afterDestroy() {
    held.releaseAll();
  }
}

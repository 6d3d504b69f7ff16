package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panode.internal.bindings.PetscApi;
import org.panode.internal.bindings.SNESFunctionFn;
import org.panode.internal.bindings.SNESJacobianFn;

/** A nonlinear solver F(x) = 0 (Newton with line search by default; -snes_* options apply). */
public final class Snes extends NativeHandle {
  /** f = F(x); the vectors are valid only during the call. */
  @FunctionalInterface
  public interface Function {
    void apply(Vec x, Vec f);
  }

  /** Fills the Jacobian a (and the preconditioning matrix p, often the same) at x. */
  @FunctionalInterface
  public interface Jacobian {
    void apply(Vec x, Mat a, Mat p);
  }

  private final Callbacks callbacks = new Callbacks();

  private Snes(MemorySegment handle) {
    super("SNES", handle, PetscApi::SNESDestroy);
  }

  private Snes(NativeHandle owner, MemorySegment handle) {
    super("SNES", owner, handle);
  }

  /** The SNES inside a TS: valid as long as its owner, whose arena keeps its callbacks. */
  static Snes inside(NativeHandle owner, MemorySegment handle) {
    return new Snes(owner, handle);
  }

  public static Snes create(Comm comm) {
    Petsc.checkThread();
    return new Snes(Scratch.pointerOut(cell -> SNESCreate(comm.handle(), cell), "SNESCreate"));
  }

  /** Sets F; {@code residual} is the vector PETSc stores F in (kept alive by this SNES). */
  public Snes function(Vec residual, Function function) {
    requireOwned();
    Vec x = Vec.borrowed(), f = Vec.borrowed();
    MemorySegment stub = SNESFunctionFn.allocate((snes, xp, fp, ctx) -> {
      try {
        x.bind(xp);
        f.bind(fp);
        function.apply(x, f);
        return 0;
      } catch (Throwable t) {
        return PetscErrors.callbackFailed(t);
      } finally {
        x.unbind();
        f.unbind();
      }
    }, arena());
    PetscErrors.check(SNESSetFunction(ptr(), residual.ptr(), stub, MemorySegment.NULL), "SNESSetFunction");
    callbacks.hold("function", residual);
    return this;
  }

  /** Sets the Jacobian matrices and the function that fills them. */
  public Snes jacobian(Mat a, Mat p, Jacobian jacobian) {
    requireOwned();
    Vec x = Vec.borrowed();
    Mat borrowedA = Mat.borrowed(), borrowedP = Mat.borrowed();
    MemorySegment stub = SNESJacobianFn.allocate((snes, xp, ap, pp, ctx) -> {
      try {
        x.bind(xp);
        jacobian.apply(x, Callbacks.match(ap, a, borrowedA), Callbacks.match(pp, p, borrowedP));
        return 0;
      } catch (Throwable t) {
        return PetscErrors.callbackFailed(t);
      } finally {
        x.unbind();
        borrowedA.unbind();
        borrowedP.unbind();
      }
    }, arena());
    PetscErrors.check(SNESSetJacobian(ptr(), a.ptr(), p.ptr(), stub, MemorySegment.NULL), "SNESSetJacobian");
    callbacks.hold("jacobianA", a);
    callbacks.hold("jacobianP", p);
    return this;
  }

  private void requireOwned() {
    if (isBorrowed()) {
      throw new IllegalStateException("the SNES inside a TS gets its function and Jacobian from the TS");
    }
  }

  /** SNES type by name: "newtonls", "ksponly", ... */
  public Snes type(String type) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(SNESSetType(ptr(), arena.allocateFrom(type)), "SNESSetType(" + type + ")");
    }
    return this;
  }

  public String type() {
    return Scratch.stringOut(cell -> SNESGetType(ptr(), cell), "SNESGetType");
  }

  /** Absolute, relative and step tolerances and the iteration limit. */
  public Snes tolerances(double atol, double rtol, double stol, int maxIterations) {
    PetscErrors.check(SNESSetTolerances(ptr(), atol, rtol, stol, maxIterations, PETSC_DEFAULT()), "SNESSetTolerances");
    return this;
  }

  public Snes optionsPrefix(String prefix) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(SNESSetOptionsPrefix(ptr(), arena.allocateFrom(prefix)), "SNESSetOptionsPrefix");
    }
    return this;
  }

  /** Reads -snes_*, -ksp_*, -pc_* options; call last. */
  public Snes setFromOptions() {
    PetscErrors.check(SNESSetFromOptions(ptr()), "SNESSetFromOptions");
    return this;
  }

  /** The linear solver inside (valid while this SNES lives). */
  public Ksp ksp() {
    return Ksp.inside(this, Scratch.pointerOut(cell -> SNESGetKSP(ptr(), cell), "SNESGetKSP"));
  }

  /** Solves F(x) = 0 starting from x; throws if it does not converge. */
  public Snes solve(Vec x) {
    PetscErrors.check(SNESSolve(ptr(), MemorySegment.NULL, x.ptr()), "SNESSolve");
    int reason = Scratch.intOut(cell -> SNESGetConvergedReason(ptr(), cell), "SNESGetConvergedReason");
    if (reason < 0) {
      String name = ConvergedReasons.name(SNESConvergedReasons(), reason);
      throw new PetscException("SNESSolve did not converge: " + name + " after " + iterations() + " iterations",
          PETSC_ERR_NOT_CONVERGED(), name, java.util.List.of(), null);
    }
    return this;
  }

  public int iterations() {
    return Scratch.intOut(cell -> SNESGetIterationNumber(ptr(), cell), "SNESGetIterationNumber");
  }

  public int linearIterations() {
    return Scratch.intOut(cell -> SNESGetLinearSolveIterations(ptr(), cell), "SNESGetLinearSolveIterations");
  }

  @Override
  void afterDestroy() {
    callbacks.releaseAll();
  }
}

package org.panode.petsc;

/**
 * The Java functions a {@link Ts} calls: its equations, their Jacobians and parameter Jacobians,
 * and step monitors. Their vector and matrix arguments are valid only during the call; an exception
 * thrown by one ends the PETSc call and becomes the cause of the PetscException it throws.
 */
public final class TsCallback {
  private TsCallback() {}

  /** f = G(t, u). */
  @FunctionalInterface
  public interface RhsFunction {
    void apply(double t, Vec u, Vec f);
  }

  /** Fills a = dG/du (and p, the preconditioning matrix, often a itself) at (t, u). */
  @FunctionalInterface
  public interface RhsJacobian {
    void apply(double t, Vec u, Mat a, Mat p);
  }

  /** f = F(t, u, u'). */
  @FunctionalInterface
  public interface IFunction {
    void apply(double t, Vec u, Vec uDot, Vec f);
  }

  /** Fills a = dF/du + shift dF/du' (and p) at (t, u, u'). */
  @FunctionalInterface
  public interface IJacobian {
    void apply(double t, Vec u, Vec uDot, double shift, Mat a, Mat p);
  }

  /** Fills a = dG/dp (state size x parameter count) at (t, u). */
  @FunctionalInterface
  public interface RhsJacobianP {
    void apply(double t, Vec u, Mat a);
  }

  /** Fills a = dF/dp at (t, u, u'). */
  @FunctionalInterface
  public interface IJacobianP {
    void apply(double t, Vec u, Vec uDot, double shift, Mat a);
  }

  /** Called after every accepted step (and at the start, step 0). */
  @FunctionalInterface
  public interface Monitor {
    void apply(int step, double t, Vec u);
  }
}

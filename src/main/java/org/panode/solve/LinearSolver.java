package org.panode.solve;

/**
 * How implicit stages solve with shift * I - J (and, for fully implicit methods, precondition the
 * Newton systems): {@link DirectLu} factors the d x d matrix once and reuses the factors across
 * stages, steps, the whole mini-batch (one d x m solve) and the adjoint's transposed solves,
 * refactoring only when J or the shift changes; {@link Krylov} is matrix-free, using only products
 * with J. PETSc options (-ksp_type, -ksp_rtol, -pc_type, ...) override either.
 */
public sealed interface LinearSolver {
  record DirectLu() implements LinearSolver {}

  record Krylov(String type, double relativeTolerance, int maxIterations) implements LinearSolver {
    public Krylov {
      if (!(relativeTolerance > 0) || maxIterations < 1) {
        throw new IllegalArgumentException("Krylov tolerance must be > 0 and iterations >= 1");
      }
    }
  }

  static LinearSolver directLu() {
    return new DirectLu();
  }

  static LinearSolver gmres(double relativeTolerance) {
    return new Krylov("gmres", relativeTolerance, 1000);
  }
}

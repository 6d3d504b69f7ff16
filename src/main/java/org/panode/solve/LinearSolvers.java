package org.panode.solve;

import org.panode.petsc.Ksp;
import org.panode.petsc.Mat;

/** Sets up the KSP of implicit stages for a {@link LinearSolver}. */
final class LinearSolvers {
  private LinearSolvers() {}

  /**
   * Direct LU: the stage matrix is shift*I - J itself (KSP preonly, the LU solve as a shell PC),
   * or for Newton systems that include dG/du, GMRES preconditioned by that LU. Krylov: matrix-free,
   * no preconditioner.
   */
  static void configure(Ksp ksp, LinearSolver solver, boolean newton, Mat.Product luSolve, Mat.Product luSolveTranspose) {
    switch (solver) {
      case LinearSolver.DirectLu lu -> {
        if (newton) {
          ksp.type("gmres").tolerances(1e-10, 1e-50, 1000);
        } else {
          ksp.type("preonly");
        }
        ksp.shellPreconditioner(luSolve, luSolveTranspose);
      }
      case LinearSolver.Krylov k -> ksp.type(k.type()).pcType("none").tolerances(k.relativeTolerance(), 1e-50, k.maxIterations());
    }
  }
}

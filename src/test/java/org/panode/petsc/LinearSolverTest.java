package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** KSP (LU, GMRES, transpose, several right-hand sides), SNES, and options that override code. */
public class LinearSolverTest {
  private static final double[] A = {4, 1, 0, 2, 5, 1, 0, 1, 3};
  private static final double[] X = {1, -2, 3};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static double[] times(double[] m, double[] x, boolean transpose) {
    double[] y = new double[3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        y[i] += (transpose ? m[j * 3 + i] : m[i * 3 + j]) * x[j];
      }
    }
    return y;
  }

  private static void assertClose(double[] got, double[] want, double tol) {
    for (int i = 0; i < want.length; i++) {
      assertEquals(got[i], want[i], tol, "entry " + i);
    }
  }

  @Test
  public void luAndGmresSolveAndTransposeSolve() {
    for (String matrixKind : new String[] {"dense", "aij"}) {
      try (Mat a = matrixKind.equals("dense") ? Mat.dense(3, 3) : Mat.aij(3, 3, 3);
          Vec b = Vec.of(times(A, X, false));
          Vec bt = Vec.of(times(A, X, true));
          Vec x = Vec.sequential(3)) {
        a.setAll(A);
        try (Ksp lu = Ksp.directLu(a)) {
          lu.solve(b, x);
          assertClose(x.toArray(), X, 1e-12);
          lu.solveTranspose(bt, x);
          assertClose(x.toArray(), X, 1e-12);
          assertEquals(lu.pcType(), "lu");
        }
        try (Ksp gmres = Ksp.create(Comm.self())) {
          gmres.operators(a, a).type("gmres").pcType("jacobi").tolerances(1e-12, 1e-14, 100);
          gmres.solve(b, x);
          assertClose(x.toArray(), X, 1e-9);
          assertTrue(gmres.iterations() > 0);
          assertTrue(gmres.convergedReason().startsWith("CONVERGED"), gmres.convergedReason());
        }
      }
    }
  }

  @Test
  public void severalRightHandSidesAtOnce() {
    try (Mat a = Mat.dense(3, 3); Mat b = Mat.dense(3, 2); Mat x = Mat.dense(3, 2); Ksp lu = Ksp.directLu(a.setAll(A))) {
      double[] y = times(A, X, false), z = times(A, new double[] {2, 0, -1}, false);
      b.setAll(new double[] {y[0], z[0], y[1], z[1], y[2], z[2]});
      lu.solve(b, x);
      assertClose(x.toArray(), new double[] {1, 2, -2, 0, 3, -1}, 1e-12);
    }
  }

  @Test
  public void optionsOverrideWhatTheProgramSet() {
    var options = PetscSession.get().options();
    options.set("lsopt_", "ksp_type", "cg");
    try (Mat a = Mat.dense(3, 3); Ksp ksp = Ksp.create(Comm.self())) {
      a.setAll(A);
      ksp.optionsPrefix("lsopt_").operators(a, a).type("gmres").setFromOptions();
      assertEquals(ksp.type(), "cg");
    } finally {
      options.clear("lsopt_", "ksp_type");
    }
  }

  @Test
  public void krylovThatCannotConvergeNamesTheReason() {
    try (Mat a = Mat.dense(3, 3); Ksp ksp = Ksp.create(Comm.self()); Vec b = Vec.of(1, 2, 3); Vec x = Vec.sequential(3)) {
      a.setAll(A);
      ksp.operators(a, a).type("gmres").pcType("none").tolerances(1e-14, 1e-30, 1);
      var e = expectThrows(PetscException.class, () -> ksp.solve(b, x));
      assertTrue(e.getMessage().contains("DIVERGED_ITS"), e.getMessage());
    }
  }

  @Test
  public void newtonSolvesANonlinearSystem() {
    // x^2 - 2 = 0, y^3 - 8 = 0 from (1, 1).
    try (Snes snes = Snes.create(Comm.self()); Vec r = Vec.sequential(2); Mat j = Mat.dense(2, 2); Vec x = Vec.of(1, 1)) {
      snes.function(r, (v, f) -> {
        double[] a = v.toArray();
        f.set(new double[] {a[0] * a[0] - 2, a[1] * a[1] * a[1] - 8});
      });
      snes.jacobian(j, j, (v, m, p) -> {
        double[] a = v.toArray();
        m.setAll(new double[] {2 * a[0], 0, 0, 3 * a[1] * a[1]});
      });
      snes.tolerances(1e-14, 1e-14, 0, 50).setFromOptions();
      snes.solve(x);
      assertClose(x.toArray(), new double[] {Math.sqrt(2), 2}, 1e-12);
      assertTrue(snes.iterations() > 2);
    }
  }
}

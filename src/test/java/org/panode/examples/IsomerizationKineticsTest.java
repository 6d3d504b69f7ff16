package org.panode.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The README's example: a stiff kinetics model with a parameter, ARKIMEX, sensitivities by TSAdjoint. */
public class IsomerizationKineticsTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void sensitivitiesEqualCentralDifferencesOfTheSameDiscreteSolve() {
    double k = 2.0, h = 1e-6;
    double[] u0 = {1.0, 0.0, 0.0};
    var r = IsomerizationKinetics.solve(k, u0, 1.0, 0.01);
    assertEquals(r.steps(), 100);
    assertTrue(r.product() > 0.05 && r.product() < 0.5, "some product formed: " + r.product());
    double fdK = (IsomerizationKinetics.solve(k + h, u0, 1.0, 0.01).product()
        - IsomerizationKinetics.solve(k - h, u0, 1.0, 0.01).product()) / (2 * h);
    assertEquals(r.dProductDk(), fdK, 1e-7 * Math.abs(fdK));
    for (int i = 0; i < 3; i++) {
      double[] up = u0.clone(), um = u0.clone();
      up[i] += h;
      um[i] -= h;
      double fd = (IsomerizationKinetics.solve(k, up, 1.0, 0.01).product() - IsomerizationKinetics.solve(k, um, 1.0, 0.01).product()) / (2 * h);
      assertEquals(r.dProductDu0()[i], fd, 1e-6 * Math.max(1, Math.abs(fd)), "dC/du0[" + i + "]");
    }
    System.out.printf("isomerization + dimerization, imex-rk3 at 0.01 (150x the fast time scale): C(1) = %.6f, dC/dk = %.6f "
        + "(central differences %.6f)%n", r.product(), r.dProductDk(), fdK);
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;

import org.panode.petsc.Petsc;
import org.panode.petsc.PetscSession;
import org.testng.SkipException;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Repeated gradients on one TS leave PETSc's memory where it was. A theta (cn) adjoint used to
 * MatAXPY an all-zero RHS parameter Jacobian into the IJacobianP shell at every step, which nested
 * one more shell per step: memory and the cost of every product grew with all the steps taken.
 */
public class ThetaAdjointMemoryTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void repeatedCnGradientsKeepPetscMemoryFlat() {
    double[] times = {0.05, 0.1};
    try (var ode = CostCountTest.ode("cn", 0.01, true)) {
      CostCountTest.iteration(ode, times);
      CostCountTest.iteration(ode, times);
      double before = Petsc.allocatedBytes();
      if (before == 0) {
        throw new SkipException("PETSc counts its memory only with -malloc_debug (set by the test configuration)");
      }
      for (int i = 0; i < 5; i++) {
        CostCountTest.iteration(ode, times);
      }
      assertEquals(Petsc.allocatedBytes(), before, "PETSc bytes after 5 more solves + gradients of 10 cn steps");
    }
  }
}

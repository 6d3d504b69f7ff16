package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** POLLU data against the Test Set for IVP Solvers' reference solution at t = 60. */
public class PolluTest {
  /** pollu.f's reference solution at t = 60, species 1..20. */
  static final double[] REFERENCE = {0.5646255480022769e-01, 0.1342484130422339e+00, 0.4139734331099427e-08,
      0.5523140207484359e-02, 0.2018977262302196e-06, 0.1464541863493966e-06, 0.7784249118997964e-01,
      0.3245075353396018e+00, 0.7494013383880406e-02, 0.1622293157301561e-07, 0.1135863833257075e-07,
      0.2230505975721359e-02, 0.2087162882798630e-03, 0.1396921016840158e-04, 0.8964884856898295e-02,
      0.4352846369330103e-17, 0.6899219696263405e-02, 0.1007803037365946e-03, 0.1772146513969984e-05,
      0.5682943292316392e-04};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void matchesTheTestSetReferenceAtSixty() {
    long began = System.nanoTime();
    var data = Pollu.paper().generate();
    double seconds = (System.nanoTime() - began) / 1e9;
    var y = data.doubles("y");
    assertEquals(y.shape(), new int[] {60, 20});
    assertEquals(data.doubles("t").slice(59)[0], 60.0);
    double[] last = y.slice(59);
    double worst = 0;
    int species = 0;
    for (int i = 0; i < 20; i++) {
      double e = Math.abs(last[i] - REFERENCE[i]) / REFERENCE[i];
      if (e > worst) {
        worst = e;
        species = i + 1;
      }
    }
    System.out.printf("POLLU (bdf5, rtol 1e-8, atol 1e-14) in %.2f s: max relative error at t = 60 %.2e (species %d)%n",
        seconds, worst, species);
    assertTrue(worst < 1e-7, "relative error " + worst + " at species " + species);
  }

  @Test
  public void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Pollu(0, 60, 1e-14, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Pollu(60, -1, 1e-14, 1e-8));
  }
}

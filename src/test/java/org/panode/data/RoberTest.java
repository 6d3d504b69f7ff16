package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.Map;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * ROBER data: conservation of y1 + y2 + y3, agreement with a different PETSc method (Rosenbrock-W,
 * ts:rosw) at its own tolerances, and the known y2 peak of 3.65e-5.
 */
public class RoberTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void conservesMassAndAgreesWithRosenbrockW() {
    var rober = Rober.paper();
    long began = System.nanoTime();
    var y = rober.generate().doubles("y");
    double seconds = (System.nanoTime() - began) / 1e9;
    assertEquals(y.shape(), new int[] {50, 3});
    double[][] check = StiffChemistry.solve(Rober.network(), Rober.Y0, rober.times(), "ts:rosw",
        Map.of("ts_max_snes_failures", "-1"), 1e-8, 1e-13, 1e-9);
    double[] scale = {1, 3.65e-5, 1};
    double conservation = 0;
    double[] worst = new double[3];
    for (int k = 0; k < 50; k++) {
      double[] s = y.slice(k);
      conservation = Math.max(conservation, Math.abs(s[0] + s[1] + s[2] - 1));
      for (int i = 0; i < 3; i++) {
        assertTrue(s[i] >= 0, "y" + (i + 1) + " negative at sample " + k);
        worst[i] = Math.max(worst[i], Math.abs(s[i] - check[k][i]) / scale[i]);
      }
    }
    System.out.printf("ROBER (bdf5, rtol 1e-10) in %.2f s: |y1+y2+y3-1| <= %.2e; vs ts:rosw rtol 1e-9, max |diff| / scale:"
        + " y1 %.2e, y2 %.2e, y3 %.2e; y(1e5) = %s%n", seconds, conservation, worst[0], worst[1], worst[2],
        java.util.Arrays.toString(y.slice(49)));
    assertTrue(conservation < 1e-9, "mass not conserved: " + conservation);
    for (int i = 0; i < 3; i++) {
      assertTrue(worst[i] < 1e-6, "y" + (i + 1) + " differs from ts:rosw by " + worst[i] + " of its scale");
    }
    // Hairer & Wanner's reference at t = 1e5 (radau5, tol 1e-14): 1.7865921e-2, 7.2747516e-8, 0.98213401
    double[] last = y.slice(49);
    assertEquals(last[0], 1.7865921e-2, 1e-9);
    assertEquals(last[1], 7.2747516e-8, 1e-14);
  }

  @Test
  public void y2PeaksAt365e6() {
    var dense = new Rober(121, 1e-4, 1, 1e-14, 1e-10);
    var y = dense.generate().doubles("y");
    double[] t = dense.times();
    int at = 0;
    for (int k = 1; k < t.length; k++) {
      if (y.slice(k)[1] > y.slice(at)[1]) {
        at = k;
      }
    }
    double peak = y.slice(at)[1];
    System.out.printf("ROBER y2 peak %.6e at t = %.3e (121 log-spaced samples in [1e-4, 1])%n", peak, t[at]);
    assertEquals(peak, 3.6485e-5, 0.001e-5);
    assertTrue(t[at] > 1e-3 && t[at] < 1e-2, "peak at " + t[at]);
  }

  /** The cache key's options read the same in every JVM (Map.of's order changed with each start: half the runs regenerated). */
  @Test
  public void theCacheKeyIsTheSameInEveryJvm() throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElseThrow();
    java.util.Set<String> seen = new java.util.TreeSet<>();
    for (int i = 0; i < 12; i++) { // the old order was drawn per JVM, about 7 to 3 here: 12 alike by chance ~1 %
      Process p = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), PrintChemistryOptions.class.getName())
          .redirectErrorStream(true).start();
      seen.add(new String(p.getInputStream().readAllBytes()).strip());
      p.waitFor();
    }
    org.testng.Assert.assertEquals(seen, java.util.Set.of("{ts_bdf_order=5, ts_max_snes_failures=-1}"));
  }

  @Test
  public void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Rober(1, 1e-5, 1e5, 1e-14, 1e-10));
    assertThrows(IllegalArgumentException.class, () -> new Rober(50, 0, 1e5, 1e-14, 1e-10));
    assertThrows(IllegalArgumentException.class, () -> new Rober(50, 1e-5, 1e-6, 1e-14, 1e-10));
  }
}

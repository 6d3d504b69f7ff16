package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/** The Burgers generator: same initial conditions on every grid, spectral agreement across grids, energy decays. */
public class BurgersTest {
  @Test
  public void gridsAgreeAndEnergyDecays() {
    var small = Burgers.small();
    var coarse = new Burgers(128, small.viscosity(), small.samples(), small.times(), small.interval(), small.step(),
        small.modes(), small.amplitude(), small.seed());
    var fine = new Burgers(256, small.viscosity(), small.samples(), small.times(), small.interval(), small.step(),
        small.modes(), small.amplitude(), small.seed());
    var uc = coarse.generate().doubles("u");
    var uf = fine.generate().doubles("u");
    assertEquals(uc.shape(), new int[] {4, 11, 128});
    double worst = 0;
    for (int s = 0; s < 4; s++) {
      double previous = Double.POSITIVE_INFINITY;
      for (int k = 0; k < 11; k++) {
        double[] c = uc.slice(s, k), f = uf.slice(s, k);
        for (int j = 0; j < 128; j++) {
          worst = Math.max(worst, Math.abs(c[j] - f[2 * j]));
        }
        double energy = 0;
        for (double v : c) {
          energy += v * v;
        }
        assertTrue(energy < previous, "energy of sample " + s + " must decay; time " + k);
        previous = energy;
      }
    }
    // Spectral convergence, measured: grids 64/128 differ by 4.5e-4, 128/256 by 4.3e-7, 256/512 by 2.5e-13.
    System.out.printf("Burgers nu = 0.01, grids 128 and 256, t in [0, 1]: largest difference %.2e%n", worst);
    assertTrue(worst < 1e-5, "grids 128 and 256 differ by " + worst);
  }

  @Test
  public void splitIsByInitialCondition() {
    var u = Burgers.small().generate().doubles("u");
    var split = Burgers.split(u, 3);
    assertEquals(split.train().shape(), new int[] {3, 11, 64});
    assertEquals(split.test().shape(), new int[] {1, 11, 64});
    assertEquals(split.test().slice(0, 5), u.slice(3, 5));
  }
}

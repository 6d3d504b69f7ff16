package org.panode.petsc;

import static org.testng.Assert.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * DenseLu solves correctly with ND4J loaded in the same process: ND4J brings its own OpenBLAS
 * 0.3.19, whose LU gives wrong factors on this machine's CPU (AVX-512 kernels), and whose exported
 * LAPACK symbols the class loader's lookup would otherwise find first.
 */
public class DenseLuWithNd4jTest {
  @BeforeClass
  void session() {
    Nd4j.create(new double[] {1, 2, 3}).sumNumber(); // ND4J and its OpenBLAS loaded and used first
    PetscSession.get();
  }

  @Test
  public void luSolvesAreExactToRoundingAfterNd4jLoaded() {
    Random r = new Random(1);
    double worst = 0;
    int[][] shapes = {{16, 32}, {16, 2}, {8, 2}, {64, 16}, {3, 1}};
    for (int trial = 0; trial < 20; trial++) {
      for (int[] shape : shapes) {
        int d = shape[0], m = shape[1];
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
          a[i] = r.nextGaussian() + (i % (d + 1) == 0 ? d : 0);
        }
        for (boolean transpose : new boolean[] {false, true}) {
          try (DenseLu lu = new DenseLu(d); Arena arena = Arena.ofConfined()) {
            lu.factor(a);
            double[] b = new double[d * m];
            for (int i = 0; i < b.length; i++) {
              b[i] = r.nextGaussian();
            }
            MemorySegment x = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
            lu.solveInPlace(x, m, transpose);
            for (int col = 0; col < m; col++) {
              for (int i = 0; i < d; i++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                  double aik = transpose ? a[k * d + i] : a[i * d + k]; // row-major A
                  s += aik * x.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) col * d + k);
                }
                worst = Math.max(worst, Math.abs(s - b[col * d + i]));
              }
            }
          }
        }
      }
    }
    assertTrue(worst < 1e-10, "worst residual of A x = b over all solves: " + worst);
  }
}

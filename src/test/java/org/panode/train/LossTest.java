package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Loss values by hand, gradients against central finite differences, shape and scale errors. */
public class LossTest {
  static final int K = 3, M = 2, D = 4;
  static final double[] SCALE = {0.5, 2, 10, 1e-3};

  /** Entries of component i spread like SCALE[i], as data of widely different magnitudes are. */
  static double[][] random(long seed) {
    Random r = new Random(seed);
    double[][] x = new double[K][M * D];
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = SCALE[i % D] * r.nextGaussian();
      }
    }
    return x;
  }

  @DataProvider
  Object[][] losses() {
    return new Object[][] {{Loss.mse()}, {Loss.mae()}, {Loss.scaled(Loss.mse(), SCALE)}, {Loss.scaled(Loss.mae(), SCALE)}};
  }

  /** The gradient written into given arrays equals the new-array one, bit for bit; a wrong shape is refused. */
  @Test(dataProvider = "losses")
  public void gradientIntoGivenArraysEqualsANewOne(Loss loss) {
    double[][] p = random(3), t = random(4);
    double[][] into = new double[K][M * D];
    java.util.Arrays.fill(into[0], Double.NaN);
    assertTrue(loss.gradient(p, t, into) == into);
    double[][] g = loss.gradient(p, t);
    for (int k = 0; k < K; k++) {
      assertEquals(into[k], g[k], "output time " + k);
    }
    var e = expectThrows(IllegalArgumentException.class, () -> loss.gradient(p, t, new double[K][M * D + 1]));
    assertTrue(e.getMessage().contains("shaped like the predicted states"), e.getMessage());
  }

  /** Central differences (exact for these piecewise quadratics away from kinks) vs the gradient, relative to its largest entry. */
  @Test(dataProvider = "losses")
  public void gradientMatchesFiniteDifferences(Loss loss) {
    double[][] p = random(1), t = random(2);
    double[][] g = loss.gradient(p, t);
    double worst = 0, largest = 0;
    for (int k = 0; k < K; k++) {
      for (int i = 0; i < M * D; i++) {
        double h = 1e-4 * SCALE[i % D], original = p[k][i];
        p[k][i] = original + h;
        double plus = loss.value(p, t);
        p[k][i] = original - h;
        double minus = loss.value(p, t);
        p[k][i] = original;
        double fd = (plus - minus) / (2 * h);
        worst = Math.max(worst, Math.abs(g[k][i] - fd));
        largest = Math.max(largest, Math.abs(fd));
      }
    }
    worst /= largest;
    System.out.printf("%-10s gradient vs FD: worst error %.1e of the largest entry%n", loss, worst);
    assertTrue(worst < 1e-6, loss + ": " + worst);
  }

  @Test
  public void valuesAreMeansOverAllEntries() {
    double[][] p = {{1, 2, 3, 4}, {0, 0, 0, 0}}, t = {{0, 0, 0, 0}, {0, 0, 0, -4}};
    assertEquals(Loss.mse().value(p, t), (1 + 4 + 9 + 16 + 16) / 8.0, 0);
    assertEquals(Loss.mae().value(p, t), (1 + 2 + 3 + 4 + 4) / 8.0, 0);
    // d = 2: components divided by 1 and 2 before the MSE
    assertEquals(Loss.scaled(Loss.mse(), new double[] {1, 2}).value(p, t), (1 + 1 + 9 + 4 + 4) / 8.0, 1e-15);
  }

  @Test
  public void maeSubgradientIsZeroWherePredictionIsExact() {
    double[][] p = {{1, 2}}, t = {{1, 3}};
    double[][] g = Loss.mae().gradient(p, t);
    assertEquals(g[0][0], 0.0);
    assertEquals(g[0][1], -0.5);
  }

  @Test
  public void shapeAndScaleErrorsAreClear() {
    var e = expectThrows(IllegalArgumentException.class, () -> Loss.mse().value(new double[2][4], new double[3][4]));
    assertTrue(e.getMessage().contains("2 output times") && e.getMessage().contains("3"), e.getMessage());
    e = expectThrows(IllegalArgumentException.class, () -> Loss.mae().gradient(new double[][] {new double[4]},
        new double[][] {new double[5]}));
    assertTrue(e.getMessage().contains("4 values") && e.getMessage().contains("5"), e.getMessage());
    e = expectThrows(IllegalArgumentException.class, () -> Loss.scaled(Loss.mse(), SCALE).value(new double[1][6], new double[1][6]));
    assertTrue(e.getMessage().contains("not a multiple of the 4 scales"), e.getMessage());
    e = expectThrows(IllegalArgumentException.class, () -> Loss.scaled(Loss.mse(), new double[] {1, 0}));
    assertTrue(e.getMessage().contains("component 1"), e.getMessage());
    expectThrows(IllegalArgumentException.class, () -> Loss.scaled(Loss.mse(), new double[] {Double.NaN}));
  }
}

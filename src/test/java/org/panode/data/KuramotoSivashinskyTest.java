package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.expectThrows;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/** The Kuramoto-Sivashinsky generator: ETDRK4 converges at fourth order and conserves the mean. */
public class KuramotoSivashinskyTest {
  @Test
  public void etdrk4IsFourthOrder() {
    // Pre-asymptotic at larger steps (order 3.3 at h = 0.1, 3.6 at 0.05); 4 from h ~ 0.01.
    double[] reference = run(0.0125 / 16, 20);
    double coarse = maxDifference(run(0.0125, 20), reference);
    double fine = maxDifference(run(0.00625, 20), reference);
    double order = Math.log(coarse / fine) / Math.log(2);
    System.out.printf("KS ETDRK4 errors at h 0.0125 and 0.00625 (t = 20): %.3e %.3e, observed order %.2f%n", coarse, fine, order);
    assertEquals(order, 4, 0.3);
  }

  @Test
  public void smallDataKeepsTheMeanAndStaysBounded() {
    var ks = KuramotoSivashinsky.small();
    var u = ks.generate().doubles("u");
    assertEquals(u.shape(), new int[] {200, 64});
    double mean0 = mean(ks.initialState());
    double peak = 0;
    for (int s = 0; s < 200; s++) {
      double[] row = u.slice(s);
      assertEquals(mean(row), mean0, 1e-10, "mean at snapshot " + s);
      for (double v : row) {
        peak = Math.max(peak, Math.abs(v));
      }
    }
    assertTrue(peak > 1 && peak < 4, "KS L = 22 lives in |u| < 4 on its attractor; peak " + peak);
  }

  @Test
  public void spansMustBeWholeSteps() {
    var e = expectThrows(IllegalArgumentException.class,
        () -> new KuramotoSivashinsky(64, 22, KuramotoSivashinsky.InitialCondition.PERIODIC, 0.03, 0, 0.1, 10));
    assertTrue(e.getMessage().contains("not a whole number of steps"), e.getMessage());
  }

  static double[] run(double h, double time) {
    var ks = new KuramotoSivashinsky(64, 22, KuramotoSivashinsky.InitialCondition.PERIODIC, h, 0, h, 1);
    var solver = ks.solver();
    double[] v = solver.spectrum(ks.initialState());
    solver.advance(v, KuramotoSivashinsky.stepsPer(time, h));
    return solver.values(v);
  }

  static double mean(double[] u) {
    double s = 0;
    for (double v : u) {
      s += v;
    }
    return s / u.length;
  }

  static double maxDifference(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}

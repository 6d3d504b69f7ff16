package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.nn.BatchThreads;
import org.panode.ode.CircularStencilTerm;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The banded LDL^T solve of shift * I - J for symmetric banded circulants equals the dense LU
 * solve; rows it cannot take (not symmetric, indefinite, singular) go to the FFT.
 */
public class ShiftedBandedCirculantTest {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] cases() {
    // d, half-width b, batch: the smallest d for each b, odd and even d, groups split over threads
    return new Object[][] {{3, 1, 1}, {5, 2, 3}, {7, 3, 2}, {17, 8, 5}, {64, 1, 40}, {101, 2, 70}, {300, 1, 3},
        {513, 2, 33}, {512, 4, 65}};
  }

  @Test(dataProvider = "cases")
  public void bandedSolveEqualsLu(int d, int b, int batch) {
    Random random = new Random(d * 131L + b);
    double[] stencil = new double[2 * b + 1];
    for (int k = 0; k <= b; k++) {
      stencil[b + k] = stencil[b - k] = random.nextGaussian(); // symmetric
    }
    var term = new CircularStencilTerm(stencil, d, true);
    double shift = 0.5 + sumAbs(stencil); // positive definite whatever the coefficients
    Counters bandCounters = new Counters(), luCounters = new Counters();
    try (var banded = new ShiftedBandedCirculant(term, bandCounters); var lu = new ShiftedLu(new LuOnlyTerm(term), luCounters);
        Arena arena = Arena.ofConfined()) {
      double worst = 0;
      for (double s : new double[] {shift, shift * 30}) {
        if (s != shift) {
          // trainable coefficients changed in place (still symmetric): both solvers must notice
          for (int k : new int[] {0, 2 * b}) {
            term.parameters().setAtIndex(D, k, term.parameters().getAtIndex(D, k) + 0.1 / (b + 1));
          }
        }
        banded.prepare(s);
        lu.prepare(s);
        assertTrue(banded.banded(), "d = " + d + ", b = " + b + ": the banded solve is chosen");
        for (boolean transpose : new boolean[] {false, true}) {
          worst = Math.max(worst, difference(banded, lu, arena, d, batch, transpose, random));
        }
      }
      System.out.printf("d = %d, bandwidth %d, %d samples: banded LDL^T vs LU worst relative difference %.2e%n", d, b, batch,
          worst);
      assertTrue(worst <= 1e-12, "d = " + d + ", b = " + b + ": banded and LU differ by " + worst);
      assertEquals(bandCounters.luFactorizations, luCounters.luFactorizations, "the factor is made exactly when LU refactors");
      assertEquals(bandCounters.linearSolves, luCounters.linearSolves);
    }
  }

  @Test
  public void thePapersStencilsAtTheirShiftsAreBanded() {
    // ARKIMEX l2's 1/(h a_ii): KSE 512 (h 0.2) and Burgers 512 (h 0.05), on 1 and 2 threads
    int threads = BatchThreads.get();
    try (Arena arena = Arena.ofConfined()) {
      for (int t : new int[] {1, 2}) {
        BatchThreads.set(t);
        check(new CircularStencilTerm(CircularStencilTerm.kuramotoSivashinskyStencil(22.0 / 512), 512, false),
            1 / (0.2 * 0.2928932), arena);
        check(new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.01, 1.0 / 512), 512, false),
            1 / (0.05 * 0.2928932), arena);
      }
    } finally {
      BatchThreads.set(threads);
    }
  }

  /**
   * KSE at d = 512 has condition number about 3e5, so solvers agree only to about cond * eps: each is
   * held to a backward error of 1e-14 (residual relative to ||A|| ||x||), and the banded solve's
   * difference from LU to the FFT's, or 1e-12.
   */
  private void check(CircularStencilTerm term, double shift, Arena arena) {
    int d = 512, batch = 200;
    try (var solver = ShiftedSolver.forTerm(term, new Counters()); var lu = new ShiftedLu(new LuOnlyTerm(term), new Counters());
        var fft = new ShiftedFft(term, new Counters())) {
      assertTrue(solver instanceof ShiftedBandedCirculant, "d = 512 gets the banded solver");
      solver.prepare(shift);
      lu.prepare(shift);
      fft.prepare(shift);
      assertTrue(((ShiftedBandedCirculant) solver).banded());
      double banded = difference(solver, lu, arena, d, batch, false, new Random(5));
      double byFft = difference(fft, lu, arena, d, batch, false, new Random(5));
      double backward = backwardError(solver, term, shift, arena, d, batch);
      double luBackward = backwardError(lu, term, shift, arena, d, batch);
      System.out.printf("shift %.4g: banded vs LU %.2e, FFT vs LU %.2e; backward error banded %.2e, LU %.2e%n", shift, banded,
          byFft, backward, luBackward);
      assertTrue(backward <= 1e-14, "banded backward error " + backward);
      assertTrue(banded <= Math.max(1e-12, byFft), "banded and LU differ by " + banded + ", the FFT by " + byFft);
    }
  }

  /** max |f - (shift x - J x)| / (||shift I - J||_inf max |x|) over a batch of random f. */
  private static double backwardError(ShiftedSolver solver, CircularStencilTerm term, double shift, Arena arena, int d,
      int batch) {
    MemorySegment f = arena.allocate(D, (long) batch * d), x = arena.allocate(D, (long) batch * d),
        jx = arena.allocate(D, (long) batch * d);
    Random random = new Random(11);
    for (int i = 0; i < batch * d; i++) {
      f.setAtIndex(D, i, random.nextGaussian());
    }
    x.copyFrom(f);
    solver.solveInPlace(x, batch, false);
    term.value(0, x, batch, jx);
    double[] row = new double[d];
    term.circulantRow(row);
    double norm = Math.abs(shift - row[0]);
    for (int k = 1; k < d; k++) {
      norm += Math.abs(row[k]);
    }
    double residual = 0, size = 0;
    for (int i = 0; i < batch * d; i++) {
      double xi = x.getAtIndex(D, i);
      residual = Math.max(residual, Math.abs(f.getAtIndex(D, i) - (shift * xi - jx.getAtIndex(D, i))));
      size = Math.max(size, Math.abs(xi));
    }
    return residual / (norm * size);
  }

  @Test
  public void asymmetricWideOrIndefiniteRowsGoToTheFft() {
    Counters counters = new Counters();
    try (Arena arena = Arena.ofConfined()) {
      // not symmetric: an advection stencil
      var advection = new CircularStencilTerm(new double[] {-1, 0.5, 1}, 300, false);
      assertFftAndEqualToLu(advection, 3.0, arena);
      // wider than MAX_BANDWIDTH
      double[] wide = new double[2 * ShiftedBandedCirculant.MAX_BANDWIDTH + 3];
      wide[0] = wide[wide.length - 1] = 0.1;
      wide[wide.length / 2] = -0.2;
      assertFftAndEqualToLu(new CircularStencilTerm(wide, 300, false), 1.0, arena);
      // symmetric but shift * I - J indefinite (J = +u_xx shifted by a negative number): nonsingular
      assertFftAndEqualToLu(new CircularStencilTerm(new double[] {1, -2, 1}, 300, false), -1.7, arena);
    }
    assertEquals(ShiftedBandedCirculant.symmetricBandwidth(new double[] {-2, 1, 0, 0, 1}), 1);
    assertEquals(ShiftedBandedCirculant.symmetricBandwidth(new double[] {-2, 1, 0, 0, 0.5}), -1);
    assertEquals(ShiftedBandedCirculant.symmetricBandwidth(new double[] {3, 0, 0}), 0);
    assertEquals(ShiftedBandedCirculant.symmetricBandwidth(new double[] {1, 1, 1, 1}), -1, "d = 4 > 2b fails for b = 2");
  }

  private void assertFftAndEqualToLu(CircularStencilTerm term, double shift, Arena arena) {
    try (var banded = new ShiftedBandedCirculant(term, new Counters()); var lu = new ShiftedLu(new LuOnlyTerm(term), new Counters())) {
      banded.prepare(shift);
      lu.prepare(shift);
      assertFalse(banded.banded(), "falls back to the FFT");
      for (boolean transpose : new boolean[] {false, true}) {
        double worst = difference(banded, lu, arena, term.dimension(), 20, transpose, new Random(7));
        assertTrue(worst <= 1e-12, "FFT fallback and LU differ by " + worst);
      }
    }
  }

  @Test
  public void aBatchLargerThanItsSegmentIsRefusedWithNothingWritten() {
    int d = 1 << 16; // batch x d past 2^31 overflowed an int count, which then passed the size check
    var term = new CircularStencilTerm(new double[] {1, -2, 1}, d, false);
    try (var banded = new ShiftedBandedCirculant(term, new Counters()); var fft = new ShiftedFft(term, new Counters());
        Arena arena = Arena.ofConfined()) {
      banded.prepare(1.0);
      fft.prepare(1.0);
      assertTrue(banded.banded());
      MemorySegment x = arena.allocate(D, 2L * d);
      for (long i = 0; i < 2L * d; i++) {
        x.setAtIndex(D, i, i);
      }
      for (ShiftedSolver solver : new ShiftedSolver[] {banded, fft}) {
        for (int batch : new int[] {3, 1 << 15, Integer.MAX_VALUE}) {
          var e = expectThrows(IllegalArgumentException.class, () -> solver.solveInPlace(x, batch, false));
          assertTrue(e.getMessage().contains("needs"), e.getMessage());
        }
      }
      for (long i = 0; i < 2L * d; i++) {
        assertEquals(x.getAtIndex(D, i), (double) i, "value " + i);
      }
    }
  }

  @Test
  public void aSingularShiftIsTheFftsClearErrorAndNothingStaleIsUsed() {
    var term = new CircularStencilTerm(new double[] {1, -2, 1}, 300, false);
    try (var solver = new ShiftedBandedCirculant(term, new Counters()); Arena arena = Arena.ofConfined()) {
      MemorySegment x = arena.allocate(D, 300);
      solver.prepare(1.0);
      assertTrue(solver.banded());
      var e = expectThrows(ArithmeticException.class, () -> solver.prepare(0.0));
      assertTrue(e.getMessage().contains("singular"), e.getMessage());
      expectThrows(IllegalStateException.class, () -> solver.solveInPlace(x, 1, false));
      solver.prepare(1.0); // recovers
      solver.solveInPlace(x, 1, false);
      expectThrows(IllegalArgumentException.class, () -> solver.solveInPlace(x, 2, false));
    }
  }

  /** Solves the same random right-hand sides with both; the worst difference relative to LU's largest value. */
  private static double difference(ShiftedSolver a, ShiftedSolver lu, Arena arena, int d, int batch, boolean transpose,
      Random random) {
    MemorySegment x = arena.allocate(D, (long) batch * d), y = arena.allocate(D, (long) batch * d);
    for (int i = 0; i < batch * d; i++) {
      double v = random.nextGaussian();
      x.setAtIndex(D, i, v);
      y.setAtIndex(D, i, v);
    }
    a.solveInPlace(x, batch, transpose);
    lu.solveInPlace(y, batch, transpose);
    double scale = 0, worst = 0;
    for (int i = 0; i < batch * d; i++) {
      scale = Math.max(scale, Math.abs(y.getAtIndex(D, i)));
    }
    for (int i = 0; i < batch * d; i++) {
      worst = Math.max(worst, Math.abs(x.getAtIndex(D, i) - y.getAtIndex(D, i)) / scale);
    }
    return worst;
  }

  private static double sumAbs(double[] v) {
    double s = 0;
    for (double x : v) {
      s += Math.abs(x);
    }
    return s;
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.ode.CircularStencilTerm;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The FFT and GEMM-inverse solves of shift * I - J equal the dense LU solve, for circulant stencils of any size. */
public class ShiftedFftTest {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] sizes() {
    // even and odd sizes, powers of two and not, stencils up to the full width
    return new Object[][] {{1, 1}, {2, 1}, {5, 5}, {8, 3}, {12, 5}, {15, 7}, {64, 5}, {100, 3}, {512, 5}};
  }

  @Test(dataProvider = "sizes")
  public void fftSolveEqualsLu(int d, int width) {
    solveEqualsLu(d, width, false);
  }

  @Test(dataProvider = "sizes")
  public void gemmSolveEqualsLu(int d, int width) {
    solveEqualsLu(d, width, true);
  }

  @Test
  public void circulantTermsGetTheBandedSolveWithTheGemmUpToItsLimitThenTheFftBehindIt() {
    for (int d : new int[] {5, 64, ShiftedCirculantGemm.MAX_DIMENSION, ShiftedCirculantGemm.MAX_DIMENSION + 1, 1024}) {
      try (var solver = ShiftedSolver.forTerm(new CircularStencilTerm(new double[] {1, -2, 1}, d, false), new Counters())) {
        assertEquals(solver.getClass(), ShiftedBandedCirculant.class, "d = " + d);
      }
    }
  }

  @Test
  public void aSingularShiftAfterAGoodOneLeavesNoStaleGemmInverse() {
    var term = new CircularStencilTerm(new double[] {1, -2, 1}, 8, false);
    try (var gemm = new ShiftedCirculantGemm(term, new Counters()); Arena arena = Arena.ofConfined()) {
      gemm.prepare(1.0);
      expectThrows(ArithmeticException.class, () -> gemm.prepare(0.0));
      expectThrows(IllegalStateException.class, () -> gemm.solveInPlace(arena.allocate(D, 8), 1, false));
    }
  }

  private void solveEqualsLu(int d, int width, boolean byGemm) {
    Random random = new Random(d * 31L + width);
    double[] stencil = new double[width];
    for (int k = 0; k < width; k++) {
      stencil[k] = random.nextGaussian(); // not symmetric: J^T differs from J
    }
    var term = new CircularStencilTerm(stencil, d, true);
    int batch = d % 3 == 2 ? 40 : 3; // 40 samples (d = 2, 5, 8, 512) split over the batch threads
    Counters fftCounters = new Counters(), luCounters = new Counters();
    try (ShiftedSolver fft = byGemm ? new ShiftedCirculantGemm(term, fftCounters) : new ShiftedFft(term, fftCounters);
        var lu = ShiftedSolver.forTerm(new LuOnlyTerm(term), luCounters); Arena arena = Arena.ofConfined()) {
      assertTrue(lu instanceof ShiftedLu, "another linear term gets LU");
      MemorySegment a = arena.allocate(D, (long) batch * d), b = arena.allocate(D, (long) batch * d);
      double worst = 0;
      int round = 0;
      for (double shift : new double[] {17.3, 2.5, 1e3, -0.7 + sumAbs(stencil) * 2}) {
        if (round++ == 2) {
          // trainable coefficients written in place: both solvers must notice
          term.parameters().setAtIndex(D, 0, term.parameters().getAtIndex(D, 0) + 0.5);
        }
        fft.prepare(shift);
        lu.prepare(shift);
        for (boolean transpose : new boolean[] {false, true}) {
          for (int i = 0; i < batch * d; i++) {
            double v = random.nextGaussian();
            a.setAtIndex(D, i, v);
            b.setAtIndex(D, i, v);
          }
          fft.solveInPlace(a, batch, transpose);
          lu.solveInPlace(b, batch, transpose);
          double scale = 0;
          for (int i = 0; i < batch * d; i++) {
            scale = Math.max(scale, Math.abs(b.getAtIndex(D, i)));
          }
          for (int i = 0; i < batch * d; i++) {
            worst = Math.max(worst, Math.abs(a.getAtIndex(D, i) - b.getAtIndex(D, i)) / scale);
          }
        }
      }
      String kind = byGemm ? "GEMM inverse" : "FFT";
      System.out.printf("d = %d, %d-point stencil: %s vs LU worst relative difference %.2e%n", d, width, kind, worst);
      assertTrue(worst <= 1e-12, "d = " + d + ": " + kind + " and LU differ by " + worst);
      assertEquals(fftCounters.luFactorizations, luCounters.luFactorizations, "the FFT prepares exactly when LU refactors");
      assertEquals(fftCounters.linearSolves, luCounters.linearSolves);
    }
  }

  private static double sumAbs(double[] v) {
    double s = 0;
    for (double x : v) {
      s += Math.abs(x);
    }
    return s;
  }

  @Test
  public void preparesOnlyWhenTheShiftOrJChanges() {
    var term = new CircularStencilTerm(new double[] {1, -2, 1}, 16, true);
    Counters counters = new Counters();
    try (var fft = ShiftedSolver.forTerm(term, counters)) {
      fft.prepare(4.0);
      fft.prepare(4.0 * (1 + 1e-14)); // rounding only
      assertEquals(counters.luFactorizations, 1);
      fft.prepare(5.0);
      assertEquals(counters.luFactorizations, 2);
      term.parameters().setAtIndex(D, 1, -2.5);
      fft.prepare(5.0);
      assertEquals(counters.luFactorizations, 3);
    }
  }

  @Test
  public void singularShiftIsAClearErrorAndNothingIsUsedStale() {
    // J = the periodic second difference: eigenvalue 0 at frequency 0, so shift 0 is singular.
    var term = new CircularStencilTerm(new double[] {1, -2, 1}, 8, false);
    try (var fft = ShiftedSolver.forTerm(term, new Counters()); Arena arena = Arena.ofConfined()) {
      var e = expectThrows(ArithmeticException.class, () -> fft.prepare(0.0));
      assertTrue(e.getMessage().contains("singular"), e.getMessage());
      MemorySegment x = arena.allocate(D, 8);
      expectThrows(IllegalStateException.class, () -> fft.solveInPlace(x, 1, false));
      fft.prepare(1.0); // recovers
      fft.solveInPlace(x, 1, false);
    }
  }
}

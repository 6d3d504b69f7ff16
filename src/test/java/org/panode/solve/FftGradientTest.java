package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.foreign.ValueLayout;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Training with the circulant shifted solve (a learnable circular stencil) gives the LU's states and
 * TSAdjoint gradients to 1e-12, and those gradients equal central finite differences: the Solver
 * picks the banded LDL^T for a symmetric stencil; with advection, the GEMM with the inverse up to
 * {@link ShiftedCirculantGemm#MAX_DIMENSION} and the FFT above.
 */
public class FftGradientTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] stencils() {
    int large = ShiftedCirculantGemm.MAX_DIMENSION + 44;
    return new Object[][] {{"banded LDL^T", large, false}, {"FFT", large, true}, {"banded LDL^T", 8, false},
        {"GEMM inverse", 8, true}};
  }

  /** A diffusion stencil, or with advection added (not symmetric: no banded LDL^T). */
  private static double[] stencil(int d, boolean advected) {
    double[] c = org.panode.ode.CircularStencilTerm.diffusionStencil(0.02, 1.0 / d);
    if (advected) {
      c[0] += 3;
      c[2] -= 3;
    }
    return c;
  }

  @Test(dataProvider = "stencils")
  public void everyCirculantSolveGivesLuStatesAndGradients(String solve, int d, boolean advected) {
    int batch = 2;
    java.util.Random r = new java.util.Random(5);
    double[] u0 = new double[batch * d];
    double[][] c = new double[SolverGradientTest.TIMES.length][batch * d];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = r.nextGaussian();
    }
    for (double[] row : c) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextGaussian();
      }
    }
    var stencil = new org.panode.ode.CircularStencilTerm(stencil(d, advected), d, true);
    try (var chosen = (ShiftedBandedCirculant) ShiftedSolver.forTerm(stencil, new Counters())) {
      chosen.prepare(1 / SolverGradientTest.STEP);
      assertEquals(chosen.banded(), !advected, solve + " is the solve at d = " + d);
    }
    var fftProblem = new SplitProblem(new TanhMlpTerm(d, 6, 7, 0.4), stencil);
    var luProblem = new SplitProblem(fftProblem.explicit(), new LuOnlyTerm(stencil));
    var config = SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(SolverGradientTest.STEP));
    try (var fft = Solver.of(fftProblem, config); var lu = Solver.of(luProblem, config);
        Trajectory fs = fft.solveForGradient(u0, batch, SaveAt.times(SolverGradientTest.TIMES));
        Trajectory ls = lu.solveForGradient(u0, batch, SaveAt.times(SolverGradientTest.TIMES))) {
      Gradients fg = fs.gradient(c), lg = ls.gradient(c);
      double worst = Math.max(difference(fg.parameters(), lg.parameters()), difference(fg.initialState(), lg.initialState()));
      for (int k = 0; k < SolverGradientTest.TIMES.length; k++) {
        worst = Math.max(worst, difference(fs.states()[k], ls.states()[k]));
      }
      System.out.printf("d = %d, %s: states and gradients against LU's, worst relative difference %.2e%n", d, solve, worst);
      assertTrue(worst <= 1e-12, solve + " and LU differ by " + worst);
      // The initial state's gradient against central differences of this solver's own forward solves
      // (perturbing u0 keeps J: the same banded or FFT solve).
      double h = 1e-6, fdWorst = 0;
      for (int i = 0; i < u0.length; i += Math.max(1, d / 3)) {
        double original = u0[i];
        u0[i] = original + h;
        double plus = Solves.linearLoss(Solves.states(fft, u0, batch, SolverGradientTest.TIMES), c);
        u0[i] = original - h;
        double minus = Solves.linearLoss(Solves.states(fft, u0, batch, SolverGradientTest.TIMES), c);
        u0[i] = original;
        fdWorst = Math.max(fdWorst, Math.abs(fg.initialState()[i] - (plus - minus) / (2 * h)));
      }
      fdWorst /= maxAbs(fg.initialState()); // relative to the gradient's size: a small entry carries the loss's rounding
      System.out.printf("d = %d, %s: adjoint vs central differences, worst relative error %.2e%n", d, solve, fdWorst);
      assertTrue(fdWorst <= 1e-6, solve + ": worst relative error " + fdWorst);
    }
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {{"imex-rk2"}, {"imex-rk4"}};
  }

  @Test(dataProvider = "methods")
  public void fftGradientEqualsLuAndFiniteDifferences(String methodName) {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    double[] times = SolverGradientTest.TIMES;
    int batch = SolverGradientTest.BATCH;
    var fftProblem = SolverGradientTest.problem();
    var luProblem = new SplitProblem(fftProblem.explicit(), new LuOnlyTerm(fftProblem.implicit()));
    var step = StepControl.fixed(SolverGradientTest.STEP);
    var config = SolverConfig.of(Method.parse(methodName), step);
    try (var fft = Solver.of(fftProblem, config);
        var lu = Solver.of(luProblem, config)) {
      Gradients last = null;
      for (int iteration = 0; iteration < 2; iteration++) {
        if (iteration == 1) {
          // a training step changed the stencil: both must refactor / recompute eigenvalues
          var p = fftProblem.implicit().parameters();
          p.setAtIndex(ValueLayout.JAVA_DOUBLE, 1, p.getAtIndex(ValueLayout.JAVA_DOUBLE, 1) * 1.3);
        }
        Trajectory fs = fft.solveForGradient(u0, batch, SaveAt.times(times));
        Gradients fg = fs.gradient(c);
        Trajectory ls = lu.solveForGradient(u0, batch, SaveAt.times(times));
        Gradients lg = ls.gradient(c);
        double worst = 0;
        for (int k = 0; k < times.length; k++) {
          worst = Math.max(worst, difference(fs.states()[k], ls.states()[k]));
        }
        worst = Math.max(worst, difference(fg.parameters(), lg.parameters()));
        worst = Math.max(worst, difference(fg.initialState(), lg.initialState()));
        last = fg;
        System.out.printf("%s iteration %d: circulant (banded LDL^T) vs LU states and gradients, worst relative difference %.2e%n", methodName, iteration, worst);
        assertTrue(worst <= 1e-12, methodName + ": FFT and LU differ by " + worst);
        assertEquals(fs.costs().luFactorizations() + fg.costs().luFactorizations(),
            ls.costs().luFactorizations() + lg.costs().luFactorizations(), "same factorization count");
        assertEquals(fs.costs().luFactorizations() + fg.costs().luFactorizations(), 1, "one per training iteration");
        fs.close();
        ls.close();
      }
      // The gradient against central differences of the circulant forward solve.
      Gradients g = last;
      double h = 1e-6, worst = 0;
      int pJ = fftProblem.implicit().parameterCount();
      for (int p = 0; p < fftProblem.parameterCount(); p += 3) {
        var segment = p < pJ ? fftProblem.implicit().parameters() : fftProblem.explicit().parameters();
        int index = p < pJ ? p : p - pJ;
        double original = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original + h);
        double plus = SolverGradientTest.loss(fft, u0);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original - h);
        double minus = SolverGradientTest.loss(fft, u0);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original);
        worst = Math.max(worst, SolverGradientTest.relative(g.parameters()[p], (plus - minus) / (2 * h)));
      }
      System.out.printf("%s circulant (banded LDL^T) adjoint vs central differences: worst relative error %.2e%n", methodName, worst);
      assertTrue(worst <= 1e-6, methodName + ": worst relative error " + worst);
    }
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /** max |a - b| / max |b|: the difference relative to the vector's size. */
  static double difference(double[] a, double[] b) {
    double diff = 0, scale = 0;
    for (int i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  }
}

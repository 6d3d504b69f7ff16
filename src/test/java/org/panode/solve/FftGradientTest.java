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
 * TSAdjoint gradients to 1e-12, and those gradients equal central finite differences: at d = 8 the
 * Solver picks the GEMM with the inverse, above {@link ShiftedCirculantGemm#MAX_DIMENSION} the FFT.
 */
public class FftGradientTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void fftAboveTheGemmLimitGivesLuStatesAndGradients() {
    int d = ShiftedCirculantGemm.MAX_DIMENSION + 44, batch = 2;
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
    var stencil = new org.panode.ode.CircularStencilTerm(org.panode.ode.CircularStencilTerm.diffusionStencil(0.02, 1.0 / d), d, true);
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
      System.out.printf("d = %d: FFT vs LU states and gradients, worst relative difference %.2e%n", d, worst);
      assertTrue(worst <= 1e-12, "FFT and LU differ by " + worst);
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
        System.out.printf("%s iteration %d: circulant (GEMM inverse) vs LU states and gradients, worst relative difference %.2e%n", methodName, iteration, worst);
        assertTrue(worst <= 1e-12, methodName + ": FFT and LU differ by " + worst);
        assertEquals(fs.costs().luFactorizations() + fg.costs().luFactorizations(),
            ls.costs().luFactorizations() + lg.costs().luFactorizations(), "same factorization count");
        assertEquals(fs.costs().luFactorizations() + fg.costs().luFactorizations(), 1, "one per training iteration");
        fs.close();
        ls.close();
      }
      // The FFT gradient against central differences of the FFT forward solve.
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
      System.out.printf("%s circulant (GEMM inverse) adjoint vs central differences: worst relative error %.2e%n", methodName, worst);
      assertTrue(worst <= 1e-6, methodName + ": worst relative error " + worst);
    }
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

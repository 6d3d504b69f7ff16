package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * dL/dtheta (network and learnable stencil) and dL/du0 from the segmented adjoint equal central
 * finite differences of the same discrete forward solve, for every method family, on a batch.
 */
public class SolverGradientTest {
  static final int D = 8, HIDDEN = 6, BATCH = 2;
  static final double[] TIMES = {0.1, 0.2, 0.3};
  static final double STEP = 0.025;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  static SplitProblem problem() {
    double dx = 1.0 / D;
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.02, dx), D, true);
    return new SplitProblem(new TanhMlpTerm(D, HIDDEN, 7, 0.4), stencil);
  }

  static double[] initialStates() {
    Random r = new Random(3);
    double[] u0 = new double[BATCH * D];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = r.nextGaussian();
    }
    return u0;
  }

  /** A linear loss L = sum_k c_k . u(t_k) with fixed random c_k. */
  static double[][] lossWeights() {
    Random r = new Random(11);
    double[][] c = new double[TIMES.length][BATCH * D];
    for (double[] row : c) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextGaussian();
      }
    }
    return c;
  }

  static double loss(Solver ode, double[] u0) {
    return Solves.linearLoss(Solves.states(ode, u0, BATCH, TIMES), lossWeights());
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {{"imex-rk2"}, {"imex-rk3"}, {"imex-rk4"}, {"imex-rk5"}, {"rk4"}, {"dopri5"}, {"cn"}};
  }

  @Test(dataProvider = "methods")
  public void adjointEqualsFiniteDifferences(String methodName) {
    var problem = problem();
    if (methodName.equals("cn")) {
      PetscSession.get().options().set("cngrad_", "ksp_rtol", "1e-13");
      PetscSession.get().options().set("cngrad_", "snes_rtol", "1e-13");
      PetscSession.get().options().set("cngrad_", "snes_atol", "1e-13");
    }
    var config = SolverConfig.builder(Method.parse(methodName), StepControl.fixed(STEP))
        .optionsPrefix(methodName.equals("cn") ? "cngrad_" : null).build();
    try (var ode = Solver.of(problem, config)) {
      double[] u0 = initialStates();
      Gradients g = Solves.gradient(ode, u0, BATCH, TIMES, lossWeights());
      double h = 1e-6, worst = 0;
      var params = problem.implicit().parameters();
      int pJ = problem.implicit().parameterCount();
      for (int p = 0; p < problem.parameterCount(); p += 3) { // every third parameter, both terms
        var segment = p < pJ ? params : problem.explicit().parameters();
        int index = p < pJ ? p : p - pJ;
        double original = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original + h);
        double plus = loss(ode, u0);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original - h);
        double minus = loss(ode, u0);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original);
        worst = Math.max(worst, relative(g.parameters()[p], (plus - minus) / (2 * h)));
      }
      for (int i = 0; i < u0.length; i += 3) {
        double[] up = u0.clone(), um = u0.clone();
        up[i] += h;
        um[i] -= h;
        worst = Math.max(worst, relative(g.initialState()[i], (loss(ode, up) - loss(ode, um)) / (2 * h)));
      }
      System.out.printf("%-9s adjoint vs FD over %d parameters and the batch's initial states: worst relative error %.2e%n",
          methodName, problem.parameterCount(), worst);
      assertTrue(worst <= 1e-6, methodName + ": worst relative error " + worst);
    } finally {
      if (methodName.equals("cn")) {
        for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
          PetscSession.get().options().clear("cngrad_", o);
        }
      }
    }
  }

  static double relative(double got, double want) {
    return Math.abs(got - want) / Math.max(Math.abs(want), 1e-7);
  }

  @Test
  public void batchEqualsSeparateRuns() {
    var problem = problem();
    double[] u0 = initialStates();
    double[][] c = lossWeights();
    try (var ode = Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(STEP)))) {
      var together = Solves.states(ode, u0, BATCH, TIMES);
      var gTogether = Solves.gradient(ode, u0, BATCH, TIMES, c);
      double[] thetaSum = new double[problem.parameterCount()];
      for (int s = 0; s < BATCH; s++) {
        double[] one = java.util.Arrays.copyOfRange(u0, s * D, (s + 1) * D);
        var alone = Solves.states(ode, one, 1, TIMES);
        double[][] cs = new double[TIMES.length][];
        for (int k = 0; k < TIMES.length; k++) {
          cs[k] = java.util.Arrays.copyOfRange(c[k], s * D, (s + 1) * D);
          for (int i = 0; i < D; i++) {
            assertEquals(alone[k][i], together[k][s * D + i], 1e-12);
          }
        }
        var gAlone = Solves.gradient(ode, one, 1, TIMES, cs);
        for (int i = 0; i < D; i++) {
          assertEquals(gAlone.initialState()[i], gTogether.initialState()[s * D + i], 1e-12);
        }
        for (int p = 0; p < thetaSum.length; p++) {
          thetaSum[p] += gAlone.parameters()[p];
        }
      }
      for (int p = 0; p < thetaSum.length; p++) {
        assertEquals(gTogether.parameters()[p], thetaSum[p], 1e-12 * Math.max(1, Math.abs(thetaSum[p])));
      }
    }
  }
}

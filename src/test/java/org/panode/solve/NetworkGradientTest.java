package org.panode.solve;

import static org.testng.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The library's own network: an MLP 16-64-64-16 (tanh) as G and a learnable 5-point circular
 * stencil as J. dL/dtheta for every parameter (imex-rk2; every 7th for the other methods) and
 * dL/du0 from the adjoint equal central finite differences of the same discrete solve. The error
 * of a group (J's parameters, G's parameters, the initial states) is max|adjoint - FD| / max|FD|:
 * per-entry ratios would measure the finite differences' own round-off on entries near zero.
 */
public class NetworkGradientTest {
  static final int D = 16, BATCH = 2;
  static final double[] TIMES = {0.1, 0.2};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  static SplitProblem problem() {
    var network = Network.mlp(D, new int[] {64, 64}, D, Activation.TANH, 42, 0.2);
    double[] stencil = CircularStencilTerm.diffusionStencil(0.01, 1.0 / D);
    double[] fivePoint = {0.001, stencil[0], stencil[1], stencil[2], -0.002};
    return new SplitProblem(network, new CircularStencilTerm(fivePoint, D, true));
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {{"imex-rk2", 1}, {"imex-rk3", 13}, {"imex-rk4", 13}, {"imex-rk5", 13}, {"rk4", 13}, {"dopri5", 13}, {"cn", 31}};
  }

  @Test(dataProvider = "methods")
  public void everyParameterMatchesFiniteDifferences(String methodName, int parameterStride) {
    var problem = problem();
    Random random = new Random(5);
    double[] u0 = Solves.gaussian(random, BATCH * D);
    double[][] c = new double[TIMES.length][];
    for (int k = 0; k < c.length; k++) {
      c[k] = Solves.gaussian(random, BATCH * D);
    }
    var options = PetscSession.get().options();
    for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
      options.set("netgrad_", o, "1e-13");
    }
    var config = SolverConfig.builder(Method.parse(methodName), StepControl.fixed(0.025)).optionsPrefix("netgrad_").build();
    try (var ode = Solver.of(problem, config)) {
      Gradients g = Solves.gradient(ode, u0, BATCH, TIMES, c);
      int pJ = problem.implicit().parameterCount();
      double h = 1e-6;
      int checked = 0;
      double[] maxDiff = new double[3], maxFd = new double[3]; // J, G, u0
      for (int p = 0; p < problem.parameterCount(); p += (p < pJ ? 1 : parameterStride)) {
        MemorySegment segment = p < pJ ? problem.implicit().parameters() : problem.explicit().parameters();
        int index = p < pJ ? p : p - pJ;
        double original = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original + h);
        double plus = loss(ode, u0, c);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original - h);
        double minus = loss(ode, u0, c);
        segment.setAtIndex(ValueLayout.JAVA_DOUBLE, index, original);
        int group = p < pJ ? 0 : 1;
        double fd = (plus - minus) / (2 * h);
        maxDiff[group] = Math.max(maxDiff[group], Math.abs(g.parameters()[p] - fd));
        maxFd[group] = Math.max(maxFd[group], Math.abs(fd));
        checked++;
      }
      for (int i = 0; i < u0.length; i++) {
        double[] up = u0.clone(), um = u0.clone();
        up[i] += h;
        um[i] -= h;
        double fd = (loss(ode, up, c) - loss(ode, um, c)) / (2 * h);
        maxDiff[2] = Math.max(maxDiff[2], Math.abs(g.initialState()[i] - fd));
        maxFd[2] = Math.max(maxFd[2], Math.abs(fd));
      }
      double worst = 0;
      for (int group = 0; group < 3; group++) {
        worst = Math.max(worst, maxDiff[group] / maxFd[group]);
      }
      System.out.printf("%-9s MLP 16-64-64-16 + learnable stencil: %d of %d parameters and all %d initial values; "
          + "relative error J %.1e, G %.1e, u0 %.1e%n", methodName, checked, problem.parameterCount(), u0.length,
          maxDiff[0] / maxFd[0], maxDiff[1] / maxFd[1], maxDiff[2] / maxFd[2]);
      assertTrue(worst <= 1e-6, methodName + ": worst relative error " + worst);
    } finally {
      for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
        options.clear("netgrad_", o);
      }
    }
  }

  private static double loss(Solver ode, double[] u0, double[][] c) {
    return Solves.linearLoss(Solves.states(ode, u0, BATCH, TIMES), c);
  }
}

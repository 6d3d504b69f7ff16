package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * With a J without parameters, IMEX sums G's parameter gradient in Java ({@link ParameterSum});
 * with the same J made learnable, PETSc sums it through the parameter Jacobians. G's gradient and
 * dL/du0 must agree to rounding (fixed and adaptive steps), and with fixed steps the Java sum must
 * equal central finite differences of the same discrete solve.
 */
public class JavaParameterSumTest {
  static final int D = 16, BATCH = 3;
  static final double[] TIMES = {0.1, 0.25};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  static SplitProblem problem(boolean learnableJ) {
    var network = Network.mlp(D, new int[] {32, 32}, D, Activation.RELU, 11, 0.3);
    return new SplitProblem(network, new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.02, 1.0 / D), D, learnableJ));
  }

  @DataProvider
  Object[][] steps() {
    return new Object[][] {{"imex-rk2", StepControl.fixed(0.025)}, {"imex-rk4", StepControl.fixed(0.05)},
        {"imex-rk2", StepControl.adaptive(0.01, 1e-6, 1e-6)}};
  }

  @Test(dataProvider = "steps")
  public void javaSumEqualsPetscSumAndFiniteDifferences(String methodName, StepControl step) {
    Random random = new Random(3);
    double[] u0 = Solves.gaussian(random, BATCH * D);
    double[][] c = new double[TIMES.length][];
    for (int k = 0; k < c.length; k++) {
      c[k] = Solves.gaussian(random, BATCH * D);
    }
    var config = SolverConfig.of(Method.parse(methodName), step);
    var fixedJ = problem(false);
    var learnableJ = problem(true);
    int pJ = learnableJ.implicit().parameterCount();
    try (var inJava = Solver.of(fixedJ, config); var petsc = Solver.of(learnableJ, config)) {
      Gradients summedInJava = Solves.gradient(inJava, u0, BATCH, TIMES, c);
      Gradients summedByPetsc = Solves.gradient(petsc, u0, BATCH, TIMES, c);
      double[] petscG = java.util.Arrays.copyOfRange(summedByPetsc.parameters(), pJ, summedByPetsc.parameters().length);
      assertEquals(summedInJava.parameters().length, petscG.length, "G's parameter count");
      double parameters = FftGradientTest.difference(summedInJava.parameters(), petscG);
      double initial = FftGradientTest.difference(summedInJava.initialState(), summedByPetsc.initialState());
      System.out.printf("%s %s: Java vs PETSc parameter sum, relative difference G %.1e, u0 %.1e%n", methodName,
          step.adaptive() ? "adaptive" : "fixed", parameters, initial);
      assertTrue(parameters <= 1e-12 && initial <= 1e-12, "Java and PETSc sums differ: " + parameters + ", " + initial);

      if (step.adaptive()) {
        return; // adaptive steps move with the parameters: finite differences would see other steps
      }
      MemorySegment theta = fixedJ.explicit().parameters();
      double h = 1e-6, maxDiff = 0, maxFd = 0;
      for (int p = 0; p < fixedJ.parameterCount(); p += 41) {
        double original = theta.getAtIndex(ValueLayout.JAVA_DOUBLE, p);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original + h);
        double plus = Solves.linearLoss(Solves.states(inJava, u0, BATCH, TIMES), c);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original - h);
        double minus = Solves.linearLoss(Solves.states(inJava, u0, BATCH, TIMES), c);
        theta.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original);
        double fd = (plus - minus) / (2 * h);
        maxDiff = Math.max(maxDiff, Math.abs(summedInJava.parameters()[p] - fd));
        maxFd = Math.max(maxFd, Math.abs(fd));
      }
      System.out.printf("  against central differences (every 41st parameter): relative error %.1e%n", maxDiff / maxFd);
      assertTrue(maxDiff / maxFd <= 1e-6, "Java sum vs central differences: " + maxDiff / maxFd);
    }
  }

  /** dL/dtheta written into a caller's array (full of stale values) is bit for bit the new array's, for both sums. */
  @Test(dataProvider = "steps")
  public void gradientIntoAGivenArrayEqualsANewOne(String methodName, StepControl step) {
    Random random = new Random(5);
    double[] u0 = Solves.gaussian(random, BATCH * D);
    double[][] c = {Solves.gaussian(random, BATCH * D), Solves.gaussian(random, BATCH * D)};
    var config = SolverConfig.of(Method.parse(methodName), step);
    for (boolean learnableJ : new boolean[] {false, true}) {
      try (var solver = Solver.of(problem(learnableJ), config)) {
        double[] fresh = Solves.gradient(solver, u0, BATCH, TIMES, c).parameters();
        double[] into = new double[fresh.length];
        java.util.Arrays.fill(into, 7.5);
        try (Trajectory t = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES))) {
          Gradients g = t.gradient(c, into);
          assertTrue(g.parameters() == into, "the result's parameters are the given array");
          var e = org.testng.Assert.expectThrows(IllegalArgumentException.class, () -> t.gradient(c, new double[fresh.length + 1]));
          assertTrue(e.getMessage().contains("the array for it has " + (fresh.length + 1)), e.getMessage());
        }
        assertEquals(into, fresh, 0, methodName + " learnable J " + learnableJ);
      }
    }
  }
}

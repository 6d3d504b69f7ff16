package org.panode.petsc;

import org.panode.ode.Checkpointing;

import static org.testng.Assert.assertTrue;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * TSAdjoint gradients w.r.t. the initial state and w.r.t. parameters of the implicit part (a) and
 * of the explicit part (b) equal central finite differences of the same discrete forward solve.
 */
public class AdjointGradientTest {
  static final double[] U0 = {0.8, -0.4, 0.3};
  static final double[] P = {1.0, 1.2};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {
      {"arkimex", "l2"}, {"arkimex", "a2"}, {"arkimex", "3"}, {"arkimex", "4"}, {"arkimex", "5"},
      {"rk", "4"}, {"rk", "5dp"}, {"cn", null}, {"beuler", null},
    };
  }

  @Test(dataProvider = "methods")
  public void adjointEqualsFiniteDifferences(String type, String tableau) {
    var method = new SplitLinearProblem.Method(type, tableau);
    var adjoint = ParameterProblem.run(method, U0, P, true, Checkpointing.memory());
    var fd = ParameterProblem.finiteDifferences(method, U0, P, 1e-6);
    double worst = 0;
    for (int i = 0; i < U0.length; i++) {
      worst = Math.max(worst, relativeError(adjoint.dCostDu0()[i], fd.dCostDu0()[i]));
    }
    for (int i = 0; i < P.length; i++) {
      worst = Math.max(worst, relativeError(adjoint.dCostDp()[i], fd.dCostDp()[i]));
    }
    System.out.printf("%-14s dL/du0 %s dL/dp %s worst relative error vs FD %.2e%n", method,
        java.util.Arrays.toString(adjoint.dCostDu0()), java.util.Arrays.toString(adjoint.dCostDp()), worst);
    assertTrue(worst <= 1e-6, method + ": adjoint vs finite differences relative error " + worst);
  }

  /** A cost at four output times: the adjoint runs over one quarter of the time range at a time. */
  @Test(dataProvider = "methods")
  public void segmentedAdjointEqualsFiniteDifferences(String type, String tableau) {
    var method = new SplitLinearProblem.Method(type, tableau);
    var adjoint = ParameterProblem.run(method, U0, P, true, Checkpointing.memory(), 4);
    var fd = ParameterProblem.finiteDifferences(method, U0, P, 1e-6, 4);
    double worst = 0;
    for (int i = 0; i < U0.length; i++) {
      worst = Math.max(worst, relativeError(adjoint.dCostDu0()[i], fd.dCostDu0()[i]));
    }
    for (int i = 0; i < P.length; i++) {
      worst = Math.max(worst, relativeError(adjoint.dCostDp()[i], fd.dCostDp()[i]));
    }
    System.out.printf("%-14s segmented adjoint (4 intervals) worst relative error vs FD %.2e%n", method, worst);
    assertTrue(worst <= 1e-6, method + ": segmented adjoint vs finite differences relative error " + worst);
  }

  static double relativeError(double got, double want) {
    return Math.abs(got - want) / Math.max(Math.abs(want), 1e-8);
  }
}

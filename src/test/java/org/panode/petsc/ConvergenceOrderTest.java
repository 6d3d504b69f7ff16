package org.panode.petsc;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Every ARKIMEX and RK tableau, beuler and cn reach their order on a split linear problem with a
 * known solution: order = log2(error(h) / error(h/2)), within 0.3 of the documented order.
 */
public class ConvergenceOrderTest {
  /**
   * PETSc documents no ARKIMEX or RK type as order-reduced, and documents BPR3 as third order. In
   * PETSc 3.22.5 it is first order: the last row of its explicit tableau is {1/4, 0, 3/5, 0, 0},
   * which sums to 0.85 where the implicit row (and the stage time) is 1, so the explicit and
   * implicit parts of the last stage disagree in time (3/4 in place of 3/5 would make it
   * consistent). This test pins the measured order so that a fixed PETSc shows up here.
   */
  static final int BPR3_MEASURED_ORDER = 1;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {
      {"arkimex", "1bee", 1}, {"arkimex", "a2", 2}, {"arkimex", "l2", 2}, {"arkimex", "ars122", 2},
      {"arkimex", "2c", 2}, {"arkimex", "2d", 2}, {"arkimex", "2e", 2}, {"arkimex", "prssp2", 2},
      {"arkimex", "3", 3}, {"arkimex", "bpr3", BPR3_MEASURED_ORDER}, {"arkimex", "ars443", 3}, {"arkimex", "4", 4},
      {"arkimex", "5", 5},
      {"rk", "1fe", 1}, {"rk", "2a", 2}, {"rk", "3", 3}, {"rk", "3bs", 3}, {"rk", "4", 4},
      {"rk", "5dp", 5}, {"rk", "5f", 5}, {"rk", "5bs", 5},
      {"beuler", null, 1}, {"cn", null, 2},
    };
  }

  /** Step counts that keep the error above round-off and in the asymptotic range. */
  private static int coarseSteps(int order) {
    return switch (order) {
      case 1, 2 -> 40;
      case 3, 4 -> 20;
      default -> 16;
    };
  }

  @Test(dataProvider = "methods")
  public void observedOrderMatchesTheScheme(String type, String tableau, int order) {
    var method = new SplitLinearProblem.Method(type, tableau);
    int n = coarseSteps(order);
    double coarse = SplitLinearProblem.error(method, 1.0, n);
    double fine = SplitLinearProblem.error(method, 1.0, 2 * n);
    double observed = Math.log(coarse / fine) / Math.log(2);
    System.out.printf("%-14s order %d: error %.3e (h=1/%d), %.3e (h=1/%d), observed %.2f%n",
        method, order, coarse, n, fine, 2 * n, observed);
    assertEquals(observed, order, 0.3, method + " observed order");
  }
}

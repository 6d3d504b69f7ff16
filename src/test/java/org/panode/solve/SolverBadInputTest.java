package org.panode.solve;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.panode.ode.CircularStencilTerm;
import org.panode.ode.DenseLinearTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Shape mismatches, non-square J, bad output times, NaN and unknown methods: clear errors. */
public class SolverBadInputTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static Solver ode() {
    return Solver.of(SolverGradientTest.problem(), SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.05)));
  }

  @Test
  public void termsOfDifferentDimensions() {
    var e = expectThrows(IllegalArgumentException.class, () ->
        new SplitProblem(new TanhMlpTerm(8, 4, 1, 0.1), new CircularStencilTerm(new double[] {1, -2, 1}, 6, false)));
    assertTrue(e.getMessage().contains("dimension 8") && e.getMessage().contains("dimension 6"), e.getMessage());
  }

  @Test
  public void nonSquareJ() {
    var e = expectThrows(IllegalArgumentException.class, () -> new DenseLinearTerm(new double[6], 2, false));
    assertTrue(e.getMessage().contains("d x d"), e.getMessage());
  }

  @Test
  public void initialStatesOfTheWrongSize() {
    try (var ode = ode()) {
      var e = expectThrows(IllegalArgumentException.class, () -> ode.solve(new double[10], 2, SaveAt.times(0.1)));
      assertTrue(e.getMessage().contains("2 x 8 = 16"), e.getMessage());
    }
  }

  @Test
  public void outputTimesThatDoNotIncrease() {
    try (var ode = ode()) {
      var e = expectThrows(IllegalArgumentException.class, () -> ode.solve(new double[8], 1, SaveAt.times(0.2, 0.1)));
      assertTrue(e.getMessage().contains("increase"), e.getMessage());
      expectThrows(IllegalArgumentException.class, () -> ode.solve(new double[8], 1, SaveAt.from(0.5, 0.5)));
    }
  }

  @Test
  public void nanInTheInitialState() {
    try (var ode = ode()) {
      double[] u0 = new double[16];
      u0[11] = Double.NaN;
      var e = expectThrows(IllegalArgumentException.class, () -> ode.solve(u0, 2, SaveAt.times(0.1)));
      assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("component 3"), e.getMessage());
    }
  }

  @Test
  public void unknownMethodListsTheKnownOnes() {
    var e = expectThrows(IllegalArgumentException.class, () -> Method.parse("imex-rk9"));
    assertTrue(e.getMessage().contains("imex-rk2") && e.getMessage().contains("dopri5") && e.getMessage().contains("ars443"),
        e.getMessage());
  }

  @Test
  public void gradientWithoutATrajectory() {
    try (var ode = ode()) {
      try (var forwardOnly = ode.solve(new double[8], 1, SaveAt.times(0.1))) {
        var e = expectThrows(IllegalStateException.class, () -> forwardOnly.gradient(new double[][] {new double[8]}));
        assertTrue(e.getMessage().contains("solveForGradient"), e.getMessage());
      }
    }
  }

  @Test
  public void explicitMethodOnAStiffProblemDivergesWithAClearError() {
    // A stiff diffusion (|lambda_max| = 4 nu / dx^2 = 2560) and RK4 at h = 0.01: far past its limit 0.0011.
    var stiff = new SplitProblem(new TanhMlpTerm(8, 4, 1, 0.1),
        new CircularStencilTerm(CircularStencilTerm.diffusionStencil(10, 1.0 / 8), 8, false));
    try (var ode = Solver.of(stiff, SolverConfig.of(Method.parse("rk4"), StepControl.fixed(0.01)))) {
      double[] u0 = SolverGradientTest.initialStates();
      var e = expectThrows(SolutionDivergedException.class, () -> ode.solve(u0, 2, SaveAt.times(5.0)));
      assertTrue(e.getMessage().contains("rk4") && e.getMessage().contains("not finite"), e.getMessage());
    }
    try (var ode = Solver.of(stiff, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.01)))) {
      Solves.states(ode, SolverGradientTest.initialStates(), 2, new double[] {5.0}); // IMEX is fine
    }
  }
}

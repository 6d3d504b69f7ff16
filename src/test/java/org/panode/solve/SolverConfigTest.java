package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.panode.ode.Checkpointing;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A configuration that cannot work fails before the solve starts, saying what would work; PETSc
 * options may change the method within the family its wiring serves, and a type outside it is refused.
 */
public class SolverConfigTest {
  private static final double[] TIMES = SolverGradientTest.TIMES;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void anExplicitMethodOnAnImplicitProblemIsRefusedWhenTheSolverIsMade() {
    var problem = new ImplicitProblem(new TanhMlpTerm(8, 4, 1, 0.1));
    var e = expectThrows(IllegalArgumentException.class,
        () -> Solver.of(problem, SolverConfig.of(Method.parse("rk4"), StepControl.fixed(0.1))));
    assertTrue(e.getMessage().contains("cn, beuler or ts:NAME") && e.getMessage().contains("SplitProblem"), e.getMessage());
    e = expectThrows(IllegalArgumentException.class,
        () -> Solver.solve(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.1)), new double[8], 1, SaveAt.times(1)));
    assertTrue(e.getMessage().contains("implicit method"), e.getMessage());
  }

  @Test
  public void aStrideThatCannotDivideTheStepsFailsBeforeTheSolve() {
    var config = SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.03)).checkpointing(Checkpointing.stride(2)).build();
    try (Solver solver = Solver.of(SolverGradientTest.problem(), config)) {
      var e = expectThrows(IllegalArgumentException.class,
          () -> solver.solveForGradient(SolverGradientTest.initialStates(), 2, SaveAt.times(0.1)));
      assertTrue(e.getMessage().contains("divides every output interval") && e.getMessage().contains("Checkpointing.memory()"),
          e.getMessage());
      // Forward solves keep no trajectory, so the stride does not matter to them.
      Solves.states(solver, SolverGradientTest.initialStates(), 2, new double[] {0.09});
    }
  }

  @Test
  public void optionsThatChangeTheFamilyAreRefusedWithWhatWouldWork() {
    var options = PetscSession.get().options();
    options.set("family_", "ts_type", "rk");
    try {
      var config = SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.025)).optionsPrefix("family_").build();
      try (Solver solver = Solver.of(SolverGradientTest.problem(), config)) {
        var e = expectThrows(IllegalArgumentException.class,
            () -> solver.solve(SolverGradientTest.initialStates(), 2, SaveAt.times(TIMES)));
        assertTrue(e.getMessage().contains("'rk'") && e.getMessage().contains("-ts_arkimex_type")
            && e.getMessage().contains("rk4"), e.getMessage());
      }
      var implicit = SolverConfig.builder(Method.parse("cn"), StepControl.fixed(0.025)).optionsPrefix("family_").build();
      try (Solver solver = Solver.of(SolverGradientTest.problem(), implicit)) {
        var e = expectThrows(IllegalArgumentException.class,
            () -> solver.solve(SolverGradientTest.initialStates(), 2, SaveAt.times(TIMES)));
        assertTrue(e.getMessage().contains("fully implicit"), e.getMessage());
      }
    } finally {
      options.clear("family_", "ts_type");
    }
  }

  @Test
  public void optionsMayChangeTheTableauWithinTheFamily() {
    var options = PetscSession.get().options();
    options.set("tableau_", "ts_arkimex_type", "3");
    double[][] overridden, direct;
    try {
      var config = SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.025)).optionsPrefix("tableau_").build();
      try (Solver solver = Solver.of(SolverGradientTest.problem(), config)) {
        overridden = Solves.states(solver, SolverGradientTest.initialStates(), 2, TIMES);
      }
    } finally {
      options.clear("tableau_", "ts_arkimex_type");
    }
    try (Solver solver = Solver.of(SolverGradientTest.problem(), SolverConfig.of(Method.parse("imex-rk3"), StepControl.fixed(0.025)))) {
      direct = Solves.states(solver, SolverGradientTest.initialStates(), 2, TIMES);
    }
    for (int k = 0; k < TIMES.length; k++) {
      for (int i = 0; i < direct[k].length; i++) {
        assertEquals(overridden[k][i], direct[k][i], 1e-14, "-ts_arkimex_type 3 is imex-rk3");
      }
    }
  }

  @Test
  public void badConfigurationValuesAreRefusedWhenBuilt() {
    var e = expectThrows(IllegalArgumentException.class,
        () -> SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.1)).optionsPrefix("-bad").build());
    assertTrue(e.getMessage().contains("options prefix"), e.getMessage());
    expectThrows(NullPointerException.class, () -> SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.1))
        .checkpointing(null).build());
    expectThrows(IllegalArgumentException.class, () -> StepControl.fixed(-1));
  }
}

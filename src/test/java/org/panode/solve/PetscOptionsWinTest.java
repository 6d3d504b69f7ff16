package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Options;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * PETSc's TS options win over the configuration, as setFromOptions is read last: -ts_dt is the step,
 * -ts_max_steps caps a solve with a clear error, and -ts_monitor_cancel (meant for monitors set by
 * options) leaves Panode's own monitors working (the save times, the finiteness check). Under a
 * prefix of this test's own, removed after each.
 */
public class PetscOptionsWinTest {
  private static final String PREFIX = "optwin_";

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static SolverConfig config(String method, double step) {
    return SolverConfig.builder(Method.parse(method), StepControl.fixed(step)).optionsPrefix(PREFIX).build();
  }

  private static double[][] states(SolverConfig config, SplitProblem problem, double[] times) {
    try (Solver solver = Solver.of(problem, config)) {
      return Solves.states(solver, SolverGradientTest.initialStates(), SolverGradientTest.BATCH, times);
    }
  }

  /** Runs body with the option set under this test's prefix, then removes it. */
  private static void with(String name, String value, Runnable body) {
    Options options = Petsc.current().options();
    options.set(PREFIX, name, value);
    try {
      body.run();
    } finally {
      options.clear(PREFIX, name);
    }
  }

  @Test
  public void tsDtIsTheStep() {
    double[][] fine = states(config("imex-rk2", 0.0125), SolverGradientTest.problem(), SolverGradientTest.TIMES);
    with("ts_dt", "0.0125", () -> {
      double[][] given = states(config("imex-rk2", 0.025), SolverGradientTest.problem(), SolverGradientTest.TIMES);
      for (int k = 0; k < fine.length; k++) {
        assertEquals(given[k], fine[k], 0, "save time " + k);
      }
      try (Trajectory t = Solver.solve(SolverGradientTest.problem(), config("imex-rk2", 0.025), SolverGradientTest.initialStates(),
          SolverGradientTest.BATCH, SaveAt.times(SolverGradientTest.TIMES))) {
        assertEquals(t.costs().steps(), 24, "0.3 / 0.0125 steps");
      }
    });
    with("ts_dt", "-1", () -> {
      var e = expectThrows(IllegalArgumentException.class,
          () -> states(config("imex-rk2", 0.025), SolverGradientTest.problem(), SolverGradientTest.TIMES));
      assertTrue(e.getMessage().contains("-optwin_ts_dt must be a positive number"), e.getMessage());
    });
  }

  @Test
  public void tsMaxStepsCapsASolveWithAClearError() {
    with("ts_max_steps", "5", () -> {
      var e = expectThrows(IllegalStateException.class,
          () -> states(config("imex-rk2", 0.025), SolverGradientTest.problem(), SolverGradientTest.TIMES));
      assertTrue(e.getMessage().contains("-ts_max_steps 5"), e.getMessage());
      states(config("imex-rk2", 0.025), SolverGradientTest.problem(), new double[] {0.1}); // 4 steps: within the cap
    });
  }

  @Test
  public void tsMonitorCancelKeepsPanodesMonitors() {
    double[][] plain = states(config("imex-rk2", 0.025), SolverGradientTest.problem(), SolverGradientTest.TIMES);
    var stiff = new SplitProblem(new TanhMlpTerm(8, 4, 1, 0.1),
        new CircularStencilTerm(CircularStencilTerm.diffusionStencil(10, 1.0 / 8), 8, false));
    with("ts_monitor_cancel", null, () -> {
      double[][] cancelled = states(config("imex-rk2", 0.025), SolverGradientTest.problem(), SolverGradientTest.TIMES);
      for (int k = 0; k < plain.length; k++) {
        assertEquals(cancelled[k], plain[k], 0, "save time " + k);
      }
      var e = expectThrows(SolutionDivergedException.class, () -> states(config("rk4", 0.01), stiff, new double[] {5.0}));
      assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    });
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.panode.train.Parameters;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A trajectory owns its TS: two losses differentiated on one forward solve give the gradients of
 * two separate solves and of finite differences; closed, superseded and forward-only trajectories
 * give clear errors instead of stale gradients.
 */
public class TrajectoryTest {
  private static final double[] TIMES = SolverGradientTest.TIMES;
  private static final int BATCH = SolverGradientTest.BATCH;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static SolverConfig config() {
    return SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(SolverGradientTest.STEP));
  }

  /** dL/du of L2 = sum_k sum_i u_i(t_k)^2 / 2 at these states: the states themselves. */
  private static double[][] quadraticLossGradient(double[][] states) {
    return states;
  }

  private static double quadraticLoss(double[][] states) {
    double sum = 0;
    for (double[] s : states) {
      for (double v : s) {
        sum += v * v / 2;
      }
    }
    return sum;
  }

  @Test
  public void twoLossesOnOneSolveEqualTwoSolvesAndFiniteDifferences() {
    SplitProblem problem = SolverGradientTest.problem();
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    try (Solver solver = Solver.of(problem, config())) {
      Gradients linear, quadratic;
      List<Gradients> together;
      try (Trajectory tr = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES))) {
        double[][] states = tr.states();
        linear = tr.gradient(c);
        quadratic = tr.gradient(quadraticLossGradient(states));
        together = tr.gradients(List.of(c, quadraticLossGradient(states)));
        assertTrue(quadratic.costs().explicitEvaluations() > linear.costs().explicitEvaluations(),
            "the second gradient repeats the forward solve, and says so in its costs");
      }
      Gradients linearAlone = Solves.gradient(solver, u0, BATCH, TIMES, c);
      double[][] states = Solves.states(solver, u0, BATCH, TIMES);
      Gradients quadraticAlone = Solves.gradient(solver, u0, BATCH, TIMES, quadraticLossGradient(states));
      assertSame(linear, linearAlone, 1e-12);
      assertSame(quadratic, quadraticAlone, 1e-12);
      assertSame(together.get(0), linearAlone, 1e-12);
      assertSame(together.get(1), quadraticAlone, 1e-12);

      Parameters theta = Parameters.of(problem);
      double[] values = theta.get();
      double h = 1e-6, worst = 0;
      for (int p = 0; p < values.length; p += 5) {
        double original = values[p];
        values[p] = original + h;
        theta.set(values);
        double[][] plus = Solves.states(solver, u0, BATCH, TIMES);
        values[p] = original - h;
        theta.set(values);
        double[][] minus = Solves.states(solver, u0, BATCH, TIMES);
        values[p] = original;
        theta.set(values);
        worst = Math.max(worst, SolverGradientTest.relative(linear.parameters()[p], (Solves.linearLoss(plus, c) - Solves.linearLoss(minus, c)) / (2 * h)));
        worst = Math.max(worst, SolverGradientTest.relative(quadratic.parameters()[p],
            (quadraticLoss(plus) - quadraticLoss(minus)) / (2 * h)));
      }
      System.out.printf("two losses on one imex-rk2 solve: worst relative error against central differences %.2e%n", worst);
      assertTrue(worst <= 1e-6, "worst relative error " + worst);
    }
  }

  private static void assertSame(Gradients a, Gradients b, double tolerance) {
    for (int p = 0; p < a.parameters().length; p++) {
      assertEquals(a.parameters()[p], b.parameters()[p], tolerance * Math.max(1, Math.abs(b.parameters()[p])), "parameter " + p);
    }
    for (int i = 0; i < a.initialState().length; i++) {
      assertEquals(a.initialState()[i], b.initialState()[i], tolerance * Math.max(1, Math.abs(b.initialState()[i])), "u0 " + i);
    }
  }

  @Test
  public void closedAndSupersededTrajectoriesRefuseToGiveGradients() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    try (Solver solver = Solver.of(SolverGradientTest.problem(), config())) {
      Trajectory first = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES));
      Trajectory second = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES));
      var e = expectThrows(IllegalStateException.class, () -> first.gradient(c));
      assertTrue(e.getMessage().contains("superseded"), e.getMessage());
      expectThrows(IllegalStateException.class, first::states);
      second.gradient(c); // the later one holds the TS
      second.close();
      e = expectThrows(IllegalStateException.class, () -> second.gradient(c));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      second.close(); // idempotent

      Trajectory other = solver.solveForGradient(java.util.Arrays.copyOf(u0, 8), 1, SaveAt.times(TIMES)); // another shape: its own TS
      Trajectory forwardOnly = solver.solve(u0, BATCH, SaveAt.times(TIMES));
      e = expectThrows(IllegalStateException.class, () -> forwardOnly.gradient(c));
      assertTrue(e.getMessage().contains("solveForGradient"), e.getMessage());
      solver.close();
      e = expectThrows(IllegalStateException.class, () -> other.gradient(new double[][] {new double[8], new double[8], new double[8]}));
      assertTrue(e.getMessage().contains("Solver is closed"), e.getMessage());
      e = expectThrows(IllegalStateException.class, () -> solver.solve(u0, BATCH, SaveAt.times(TIMES)));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  /**
   * Solves of one batch size with 3, then 1, then 2, then 3 save times on one Solver, forward only and
   * for a gradient: each as a fresh Solver's. (PETSc 3.22 frees a solved TS's span vectors when the
   * number of times changes and never makes them again: the next solve crashed the JVM.)
   */
  @Test
  public void anotherNumberOfSaveTimesOnTheSameSolverGivesWhatAFreshSolverGives() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] times = {TIMES, {0.2}, {0.05, 0.3}, TIMES};
    try (Solver solver = Solver.of(SolverGradientTest.problem(), config())) {
      for (double[] at : times) {
        double[][] weights = java.util.Arrays.copyOf(SolverGradientTest.lossWeights(), at.length);
        Gradients reused;
        double[][] states;
        try (Trajectory t = solver.solveForGradient(u0, BATCH, SaveAt.times(at))) {
          reused = t.gradient(weights);
        }
        states = Solves.states(solver, u0, BATCH, at);
        try (Solver fresh = Solver.of(SolverGradientTest.problem(), config())) {
          double[][] expected = Solves.states(fresh, u0, BATCH, at);
          for (int k = 0; k < at.length; k++) {
            assertEquals(states[k], expected[k], 0, at.length + " save times, state " + k);
          }
          try (Trajectory t = fresh.solveForGradient(u0, BATCH, SaveAt.times(at))) {
            assertEquals(reused.parameters(), t.gradient(weights).parameters(), 0, at.length + " save times");
          }
        }
      }
    }
  }

  /**
   * Two trajectories kept for gradients, the first differentiated, then the parameters written (an
   * optimizer step), then the second: its gradient is the one of a network that remembers nothing
   * (before, the first adjoint's parameter check covered the second, which multiplied the old
   * parameters' activations by the new weights).
   */
  @Test
  public void parametersWrittenBetweenTwoAdjointsAreSeenByTheSecond() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    double[][] gradients = new double[2][];
    for (int remember = 0; remember < 2; remember++) {
      var network = org.panode.nn.Network.mlp(SolverGradientTest.D, new int[] {12}, SolverGradientTest.D,
          org.panode.nn.Activation.TANH, 5, 0.5);
      network.maxRememberedBytes(remember == 1 ? org.panode.nn.Network.DEFAULT_REMEMBERED_BYTES : 0);
      var problem = new SplitProblem(network, SolverGradientTest.problem().implicit());
      try (Solver solver = Solver.of(problem, config())) {
        Trajectory a = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES));
        Trajectory b = solver.solveForGradient(java.util.Arrays.copyOf(u0, SolverGradientTest.D), 1, SaveAt.times(TIMES));
        a.gradient(c);
        MemorySegment theta = network.parameters();
        for (long i = 0; i < theta.byteSize() / 8; i++) {
          theta.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, 1.5 * theta.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i));
        }
        double[][] one = new double[TIMES.length][];
        for (int k = 0; k < one.length; k++) {
          one[k] = java.util.Arrays.copyOf(c[k], SolverGradientTest.D);
        }
        gradients[remember] = b.gradient(one).parameters();
      }
    }
    assertEquals(gradients[1], gradients[0], 1e-12, "remembered vs recomputed forward passes");
  }

  /**
   * Save times 0.3 and 0.1 * 3 (5.5e-17 apart: PETSc takes a step that short) give the gradient of
   * the same loss on 0.3 alone, and a start at t0 = 1.7e9 gives the states of a start at 0; before,
   * both were taken at the wrong steps (the first without an error: its adjoint skipped a step).
   */
  @Test
  public void closeSaveTimesAndLargeTimesAreTakenAtTheirOwnSteps() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    try (Solver solver = Solver.of(SolverGradientTest.problem(), config())) {
      Gradients merged, close;
      try (Trajectory t = solver.solveForGradient(u0, BATCH, SaveAt.times(0.1, 0.2, 0.3))) {
        double[] both = c[2].clone();
        merged = t.gradient(new double[][] {c[0], c[1], both});
      }
      try (Trajectory t = solver.solveForGradient(u0, BATCH, SaveAt.times(0.1, 0.2, 0.3, 0.1 * 3))) {
        close = t.gradient(new double[][] {c[0], c[1], new double[c[2].length], c[2]});
      }
      assertEquals(close.initialState(), merged.initialState(), 1e-12, "dL/du0");
      assertEquals(close.parameters(), merged.parameters(), 1e-12, "dL/dtheta");

      double[][] atZero = Solves.states(solver, u0, BATCH, new double[] {1, 2});
      try (Trajectory t = solver.solve(u0, BATCH, SaveAt.from(1.7e9, 1.7e9 + 1, 1.7e9 + 2))) {
        for (int k = 0; k < 2; k++) {
          assertEquals(t.states()[k], atZero[k], 1e-5, "state " + k);
        }
      }
    }
  }

  /** A term that says whether the Solver asked it to remember its forward passes. */
  private static final class Watched implements org.panode.ode.Term {
    final org.panode.ode.Term inner;
    boolean remembering;

    Watched(org.panode.ode.Term inner) {
      this.inner = inner;
    }

    @Override public int dimension() { return inner.dimension(); }
    @Override public int parameterCount() { return inner.parameterCount(); }
    @Override public MemorySegment parameters() { return inner.parameters(); }
    @Override public void value(double t, MemorySegment u, int batch, MemorySegment out) { inner.value(t, u, batch, out); }
    @Override public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
      inner.jvp(t, u, v, batch, out);
    }
    @Override public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
      inner.vjp(t, u, w, batch, out);
    }
    @Override public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
      inner.vjpParameters(t, u, w, batch, gradient);
    }
    @Override public void rememberEvaluations(boolean on) {
      remembering = on;
      inner.rememberEvaluations(on);
    }
  }

  /** A trajectory superseded before its gradient leaves the term remembering nothing once the later one is done. */
  @Test
  public void aSupersededTrajectoryStopsTheRemembering() {
    double[] u0 = SolverGradientTest.initialStates();
    SplitProblem base = SolverGradientTest.problem();
    Watched term = new Watched(base.explicit());
    try (Solver solver = Solver.of(new SplitProblem(term, base.implicit()), config())) {
      Trajectory first = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES)); // never differentiated nor closed
      assertTrue(term.remembering);
      try (Trajectory second = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES))) {
        second.gradient(SolverGradientTest.lossWeights());
      }
      assertTrue(!term.remembering, "no trajectory is left to differentiate: the forward passes need not be kept");
      expectThrows(IllegalStateException.class, first::states);
    }
  }

  @Test
  public void statesIntoGivenArraysAndTheSolversOwnArraysStayApart() {
    double[] u0 = SolverGradientTest.initialStates();
    double[][] c = SolverGradientTest.lossWeights();
    try (Solver solver = Solver.of(SolverGradientTest.problem(), config())) {
      double[][] firstStates;
      double[][] into = new double[TIMES.length][u0.length];
      Gradients firstGradient;
      try (Trajectory first = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES))) {
        firstStates = first.states();
        assertTrue(first.states(into) == into);
        for (int k = 0; k < TIMES.length; k++) {
          assertEquals(into[k], firstStates[k], "save time " + k);
        }
        var e = expectThrows(IllegalArgumentException.class, () -> first.states(new double[TIMES.length][u0.length - 1]));
        assertTrue(e.getMessage().contains("arrays of " + u0.length + " values"), e.getMessage());
        firstGradient = first.gradient(c);
      }
      double[] changed = u0.clone();
      java.util.Arrays.setAll(changed, i -> 0.5 * u0[i]);
      try (Trajectory second = solver.solveForGradient(changed, BATCH, SaveAt.times(TIMES))) {
        java.util.Arrays.fill(changed, Double.NaN); // the caller's array is the caller's: the solver kept its own copy
        assertTrue(second.states()[0][0] != firstStates[0][0], "a new solve gives new states");
        Gradients fresh = second.gradient(c);
        double[] du0 = new double[u0.length], dtheta = new double[fresh.parameters().length];
        Gradients into2 = second.gradient(c, dtheta, du0); // a second adjoint on the same solve: the same values
        assertTrue(into2.initialState() == du0 && into2.parameters() == dtheta);
        assertEquals(du0, fresh.initialState(), "dL/du0 into a given array");
        assertEquals(dtheta, fresh.parameters(), "dL/dtheta into a given array");
        var e = expectThrows(IllegalArgumentException.class, () -> second.gradient(c, null, new double[3]));
        assertTrue(e.getMessage().contains("dL/du0 has batch x d"), e.getMessage());
      }
      double[][] again = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES)).states(new double[TIMES.length][u0.length]);
      for (int k = 0; k < TIMES.length; k++) {
        assertEquals(again[k], firstStates[k], "the same u0 again, save time " + k);
        assertEquals(into[k], firstStates[k], "copies handed out earlier do not change");
      }
      assertTrue(Double.isFinite(firstGradient.parameters()[0]));
    }
  }

  @Test
  public void aOneShotSolveOwnsItsSolver() {
    double[] u0 = SolverGradientTest.initialStates();
    Trajectory tr = Solver.solve(SolverGradientTest.problem(), config(), u0, BATCH, SaveAt.times(TIMES));
    Gradients g = tr.gradient(SolverGradientTest.lossWeights());
    assertEquals(g.initialState().length, u0.length);
    tr.close();
    expectThrows(IllegalStateException.class, () -> tr.gradient(SolverGradientTest.lossWeights()));
  }

  @Test
  public void badLossGradientsAreClearErrors() {
    double[] u0 = SolverGradientTest.initialStates();
    try (Trajectory tr = Solver.solve(SolverGradientTest.problem(), config(), u0, BATCH, SaveAt.times(TIMES))) {
      var e = expectThrows(IllegalArgumentException.class, () -> tr.gradient(new double[][] {new double[16]}));
      assertTrue(e.getMessage().contains("3 save times"), e.getMessage());
      e = expectThrows(IllegalArgumentException.class, () -> tr.gradient(new double[][] {new double[16], new double[15], new double[16]}));
      assertTrue(e.getMessage().contains("16 values"), e.getMessage());
      tr.gradient(SolverGradientTest.lossWeights()); // still usable
    }
  }
}

package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListSet;
import org.panode.nn.BatchThreads;
import org.panode.ode.CirculantTerm;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.DenseLinearTerm;
import org.panode.ode.LinearTerm;
import org.panode.ode.Method;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.PetscSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A thread-safe J (the circular stencil) is applied in blocks of samples on the batch threads; the
 * states and gradients of an IMEX solve are then bit for bit those of one thread. A J that is not
 * thread-safe always sees the whole batch. A dense J (LU) in blocks gives them to rounding.
 */
public class RowBlocksTest {
  private static final int D = 64;
  private static final int BATCH = 401; // 3 uneven blocks of 64-value rows on 3 threads
  private int threadsBefore;

  @BeforeClass
  void session() {
    PetscSession.get();
    threadsBefore = BatchThreads.get();
  }

  @AfterClass(alwaysRun = true)
  void restore() {
    BatchThreads.set(threadsBefore);
  }

  /** The stencil, reporting the batch sizes it is called with. */
  private static final class Recording implements CirculantTerm {
    final CircularStencilTerm inner = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.02, 1.0 / D), D, true);
    final ConcurrentSkipListSet<Integer> batches = new ConcurrentSkipListSet<>();
    final boolean threadSafe;

    Recording(boolean threadSafe) {
      this.threadSafe = threadSafe;
    }

    @Override public boolean threadSafe() { return threadSafe; }
    @Override public int dimension() { return D; }
    @Override public int parameterCount() { return inner.parameterCount(); }
    @Override public MemorySegment parameters() { return inner.parameters(); }
    @Override public long version() { return inner.version(); }
    @Override public void matrix(double[] rowMajor) { inner.matrix(rowMajor); }
    @Override public void circulantRow(double[] row) { inner.circulantRow(row); }

    @Override
    public void value(double t, MemorySegment u, int batch, MemorySegment out) {
      batches.add(batch);
      inner.value(t, u, batch, out);
    }

    @Override
    public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
      batches.add(batch);
      inner.vjp(t, u, w, batch, out);
    }

    @Override
    public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
      inner.vjpParameters(t, u, w, batch, gradient);
    }
  }

  private record Result(double[][] states, double[] parameters, double[] initialState) {}

  private static Result solve(LinearTerm j, int threads) {
    BatchThreads.set(threads);
    Random random = new Random(11);
    double[] u0 = new double[BATCH * D];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = random.nextGaussian();
    }
    double[][] weights = new double[SolverGradientTest.TIMES.length][BATCH * D];
    for (double[] row : weights) {
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextGaussian();
      }
    }
    var problem = new SplitProblem(new TanhMlpTerm(D, 6, 7, 0.4), j);
    var config = SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(SolverGradientTest.STEP));
    try (var solver = Solver.of(problem, config);
        Trajectory run = solver.solveForGradient(u0, BATCH, SaveAt.times(SolverGradientTest.TIMES))) {
      Gradients g = run.gradient(weights);
      return new Result(run.states(), g.parameters(), g.initialState());
    }
  }

  @Test
  public void aThreadSafeStencilInBlocksGivesTheOneThreadSolveBitForBit() {
    Recording serial = new Recording(true), split = new Recording(true);
    Result one = solve(serial, 1);
    Result three = solve(split, 3);
    assertEquals(serial.batches.first().intValue(), BATCH, "one thread: the whole batch");
    assertEquals(split.batches.last().intValue(), 134, "three threads: blocks of 133-134 samples");
    assertEquals(split.batches.first().intValue(), 133);
    for (int k = 0; k < one.states().length; k++) {
      assertEquals(three.states()[k], one.states()[k], "states at save time " + k);
    }
    assertEquals(three.parameters(), one.parameters(), "dL/dtheta");
    assertEquals(three.initialState(), one.initialState(), "dL/du0");
    assertTrue(one.parameters().length > 0);
  }

  /** A dense J (solved by LU) in blocks: the states and gradients of one thread, to rounding. */
  @Test
  public void aDenseJInBlocksGivesTheOneThreadSolve() {
    double[] matrix = new double[D * D];
    new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.02, 1.0 / D), D, false).matrix(matrix);
    matrix[3] += 0.5; // no longer circulant: the LU path
    Result one = solve(new DenseLinearTerm(matrix, D, true), 1);
    Result three = solve(new DenseLinearTerm(matrix, D, true), 3);
    for (int k = 0; k < one.states().length; k++) {
      close(three.states()[k], one.states()[k], "states at save time " + k);
    }
    close(three.parameters(), one.parameters(), "dL/dtheta");
    close(three.initialState(), one.initialState(), "dL/du0");
  }

  private static void close(double[] actual, double[] expected, String what) {
    double largest = 0, worst = 0;
    for (int i = 0; i < expected.length; i++) {
      largest = Math.max(largest, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertTrue(worst <= 1e-12 * largest, what + ": differs by " + worst + " (largest entry " + largest + ")");
  }

  @Test
  public void aStencilThatIsNotThreadSafeSeesTheWholeBatch() {
    Recording j = new Recording(false);
    solve(j, 3);
    assertEquals(j.batches.size(), 1, "batch sizes seen: " + j.batches);
    assertEquals(j.batches.first().intValue(), BATCH);
  }
}

package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Wrong sizes, NaN, closed handles, other threads, unknown types: clear exceptions, no crash. */
public class BadInputTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void sizeMismatchCarriesPetscsMessage() {
    try (Vec a = Vec.sequential(3); Vec b = Vec.sequential(4)) {
      var e = expectThrows(PetscException.class, () -> a.copyFrom(b));
      assertEquals(e.errorCode(), 75, e.getMessage()); // PETSC_ERR_ARG_INCOMP
      assertTrue(e.getMessage().contains("VecCopy"), e.getMessage());
      assertTrue(e.getMessage().contains("local size 4 != parameter # 2 local size 3"), e.getMessage());
      assertTrue(!e.petscMessage().isEmpty(), "PETSc's own message is kept");
    }
    try (Mat m = Mat.dense(3, 3); Vec x = Vec.sequential(4); Vec y = Vec.sequential(3)) {
      var e = expectThrows(PetscException.class, () -> m.mult(x, y));
      assertEquals(e.errorCode(), 60, e.getMessage()); // PETSC_ERR_ARG_SIZ
      assertTrue(e.getMessage().contains("Nonconforming object sizes"), e.getMessage());
    }
  }

  @Test
  public void nanInTheInitialStateIsNamed() {
    try (Ts ts = Ts.create(Comm.self()); Vec u = Vec.of(1, Double.NaN)) {
      ts.rkType("4").timeStep(0.1).maxTime(1);
      ts.rhsFunction((t, x, f) -> f.copyFrom(x).scale(-1));
      var e = expectThrows(IllegalArgumentException.class, () -> ts.solve(u));
      assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("entry 1"), e.getMessage());
    }
  }

  /** PETSc 3.22 frees a solved TS's span vectors on a new length and never makes them again: refused, no crash. */
  @Test
  public void aSolvedTsKeepsItsNumberOfSpanTimes() {
    try (Ts ts = Ts.create(Comm.self()); Vec u = Vec.of(1, 2)) {
      ts.rkType("4").timeStep(0.1).exactFinalTime(Ts.ExactFinalTime.MATCHSTEP);
      ts.rhsFunction((t, x, f) -> f.copyFrom(x).scale(-1));
      ts.timeSpan(new double[] {0, 0.5, 1}).maxTime(1).solve(u);
      var e = expectThrows(IllegalStateException.class, () -> ts.timeSpan(new double[] {0, 0.5, 1, 1.5}));
      assertTrue(e.getMessage().contains("3 times") && e.getMessage().contains("new TS"), e.getMessage());
      ts.time(0).stepNumber(0).timeStep(0.1).timeSpan(new double[] {0, 0.25, 0.5}).maxTime(0.5).solve(u.set(new double[] {1, 2}));
      assertEquals(u.toArray()[0], Math.exp(-0.5), 1e-6, "the same length again is fine");
    }
  }

  @Test
  public void divergenceIsAnErrorNotASilentNaN() {
    // u' = -1e4 u with explicit Euler at h = 0.1: |1 - 1e3| > 1, the state blows up to Inf.
    try (Ts ts = Ts.create(Comm.self()); Vec u = Vec.of(1, 1)) {
      ts.rkType("1fe").timeStep(0.1).maxTime(1000).maxSteps(10000).adaptive(false);
      ts.rhsFunction((t, x, f) -> f.copyFrom(x).scale(-1e4));
      var e = expectThrows(PetscException.class, () -> ts.solve(u));
      assertTrue(e.getCause() instanceof ArithmeticException, String.valueOf(e.getCause()));
      assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }
  }

  @Test
  public void closedHandlesAreIllegalStateNotCrashes() {
    Vec v = Vec.sequential(2);
    v.close();
    v.close(); // idempotent
    assertTrue(v.isClosed());
    expectThrows(IllegalStateException.class, v::size);
    expectThrows(IllegalStateException.class, () -> v.fill(1));
    Mat m = Mat.dense(2, 2);
    m.close();
    expectThrows(IllegalStateException.class, () -> m.set(0, 0, 1));
    Ts ts = Ts.create(Comm.self());
    ts.close();
    try (Vec u = Vec.of(1)) {
      expectThrows(IllegalStateException.class, () -> ts.solve(u));
    }
  }

  @Test
  public void arrayViewIsUnusableAfterClose() {
    try (Vec v = Vec.of(1, 2, 3)) {
      VecArray a = v.array();
      var segment = a.segment();
      a.set(0, 5);
      a.close();
      expectThrows(IllegalStateException.class, () -> a.get(0));
      expectThrows(IllegalStateException.class, () -> segment.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0));
      assertEquals(v.toArray()[0], 5.0);
    }
  }

  @Test
  public void callsFromAnotherThreadAreRefused() throws InterruptedException {
    try (Vec v = Vec.sequential(2)) {
      var future = CompletableFuture.supplyAsync(v::size);
      var e = expectThrows(ExecutionException.class, future::get);
      assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains("not thread-safe"), e.getCause().getMessage());
      assertEquals(v.size(), 2);
    }
  }

  @Test
  public void unknownTypeNamesAreErrors() {
    try (Ts ts = Ts.create(Comm.self())) {
      var e = expectThrows(PetscException.class, () -> ts.type("no-such-method"));
      assertTrue(e.getMessage().contains("no-such-method"), e.getMessage());
      expectThrows(PetscException.class, () -> ts.arkimexType("9z"));
    }
    try (Ksp ksp = Ksp.create(Comm.self())) {
      expectThrows(PetscException.class, () -> ksp.type("not-a-krylov-method"));
    }
  }

  @Test
  public void optionsThatDoNotParseFailAtSetFromOptions() {
    var options = PetscSession.get().options();
    options.set("badopt_", "ts_max_steps", "many");
    try (Ts ts = Ts.create(Comm.self())) {
      ts.optionsPrefix("badopt_");
      var e = expectThrows(PetscException.class, ts::setFromOptions);
      assertTrue(e.getMessage().contains("many"), e.getMessage());
    } finally {
      options.clear("badopt_", "ts_max_steps");
    }
  }
}

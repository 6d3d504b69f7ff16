package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** An exception thrown in a callback surfaces as the cause; the JVM lives and the next solve works. */
public class CallbackFailureTest {
  private static final SplitLinearProblem.Method L2 = new SplitLinearProblem.Method("arkimex", "l2");

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static void nextSolveWorks() {
    double error = SplitLinearProblem.error(L2, 1.0, 20);
    assertTrue(error < 1e-2, "a fresh solve after the failure has error " + error);
  }

  private static Ts decayingTs() {
    Ts ts = Ts.create(Comm.self());
    ts.rkType("4").time(0).timeStep(0.1).maxTime(1).exactFinalTime(Ts.ExactFinalTime.MATCHSTEP);
    return ts;
  }

  @Test
  public void rhsFunctionException() {
    var boom = new IllegalStateException("boom in the RHS");
    try (Ts ts = decayingTs(); Vec u = Vec.of(1, 2)) {
      ts.rhsFunction((t, x, f) -> {
        throw boom;
      });
      var e = expectThrows(PetscException.class, () -> ts.solve(u));
      assertSame(e.getCause(), boom);
      assertTrue(e.getMessage().startsWith("TSSolve failed"), e.getMessage());
    }
    nextSolveWorks();
  }

  @Test
  public void iJacobianException() {
    var boom = new ArithmeticException("boom in the IJacobian");
    try (Ts ts = Ts.create(Comm.self()); Vec u = Vec.of(1, 2); Mat j = Mat.dense(2, 2)) {
      ts.type("beuler").time(0).timeStep(0.1).maxTime(1);
      ts.iFunction((t, x, xDot, f) -> {
        f.copyFrom(xDot);
        f.axpy(1, x);
      });
      ts.iJacobian(j, j, (t, x, xDot, shift, a, p) -> {
        throw boom;
      });
      var e = expectThrows(PetscException.class, () -> ts.solve(u));
      assertSame(e.getCause(), boom);
    }
    nextSolveWorks();
  }

  @Test
  public void shellMultAndMultTransposeExceptions() {
    var multFailure = new UnsupportedOperationException("mult fails");
    var transposeFailure = new IllegalArgumentException("multTranspose fails");
    try (Mat shell = Mat.shell(3, 3, (x, y) -> {
          throw multFailure;
        }, (x, y) -> {
          throw transposeFailure;
        });
        Vec x = Vec.of(1, 2, 3);
        Vec y = Vec.sequential(3)) {
      var e = expectThrows(PetscException.class, () -> shell.mult(x, y));
      assertSame(e.getCause(), multFailure);
      assertEquals(e.errorCode(), 83);
      var t = expectThrows(PetscException.class, () -> shell.multTranspose(x, y));
      assertSame(t.getCause(), transposeFailure);
    }
    // A shell matrix used inside a Krylov solve: the failure comes out of KSPSolve.
    var inSolve = new IllegalStateException("mult fails inside GMRES");
    try (Mat shell = Mat.shell(3, 3, (x, y) -> {
          throw inSolve;
        }, null);
        Ksp ksp = Ksp.create(Comm.self());
        Vec b = Vec.of(1, 2, 3);
        Vec x = Vec.sequential(3)) {
      ksp.operators(shell, shell).type("gmres").pcType("none");
      var e = expectThrows(PetscException.class, () -> ksp.solve(b, x));
      assertSame(e.getCause(), inSolve);
    }
    nextSolveWorks();
  }

  @Test
  public void shellMatrixWorksWhenCallbacksSucceed() {
    try (Mat shell = Mat.shell(2, 2, (x, y) -> {
          double[] v = x.toArray();
          y.set(new double[] {2 * v[0] + v[1], 3 * v[1]});
        }, (x, y) -> {
          double[] v = x.toArray();
          y.set(new double[] {2 * v[0], v[0] + 3 * v[1]});
        });
        Vec x = Vec.of(1, 2);
        Vec y = Vec.sequential(2)) {
      shell.mult(x, y);
      assertEquals(y.toArray(), new double[] {4, 6});
      shell.multTranspose(x, y);
      assertEquals(y.toArray(), new double[] {2, 7});
    }
  }
}

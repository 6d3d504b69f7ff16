package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.StepControl;
import org.panode.ode.Term;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** M u' = f(u) with implicit methods: adjoint gradients vs finite differences, and a DAE. */
public class ImplicitProblemTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] methods() {
    return new Object[][] {{"cn"}, {"beuler"}};
  }

  @Test(dataProvider = "methods")
  public void adjointEqualsFiniteDifferences(String methodName) {
    int d = SolverGradientTest.D, batch = SolverGradientTest.BATCH;
    double[] mass = new double[d];
    for (int i = 0; i < d; i++) {
      mass[i] = 1 + 0.5 * (i % 3);
    }
    var term = new TanhMlpTerm(d, 5, 9, 0.5);
    var problem = new ImplicitProblem(term, mass);
    var options = PetscSession.get().options();
    for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
      options.set("implgrad_", o, "1e-13");
    }
    var config = SolverConfig.builder(Method.parse(methodName), StepControl.fixed(0.025)).optionsPrefix("implgrad_").build();
    try (var ode = Solver.of(problem, config)) {
      double[] u0 = SolverGradientTest.initialStates();
      double[] times = SolverGradientTest.TIMES;
      double[][] c = SolverGradientTest.lossWeights();
      var g = Solves.gradient(ode, u0, batch, times, c);
      double h = 1e-6, worst = 0;
      for (int p = 0; p < term.parameterCount(); p += 4) {
        MemorySegment params = term.parameters();
        double original = params.getAtIndex(ValueLayout.JAVA_DOUBLE, p);
        params.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original + h);
        double plus = loss(ode, u0, times, c, batch);
        params.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original - h);
        double minus = loss(ode, u0, times, c, batch);
        params.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original);
        worst = Math.max(worst, SolverGradientTest.relative(g.parameters()[p], (plus - minus) / (2 * h)));
      }
      for (int i = 0; i < u0.length; i += 3) {
        double[] up = u0.clone(), um = u0.clone();
        up[i] += h;
        um[i] -= h;
        double fd = (loss(ode, up, times, c, batch) - loss(ode, um, times, c, batch)) / (2 * h);
        worst = Math.max(worst, SolverGradientTest.relative(g.initialState()[i], fd));
      }
      System.out.printf("implicit %-7s (mass matrix) adjoint vs FD worst relative error %.2e%n", methodName, worst);
      assertTrue(worst <= 1e-6, methodName + ": " + worst);
    } finally {
      for (String o : new String[] {"ksp_rtol", "snes_rtol", "snes_atol"}) {
        options.clear("implgrad_", o);
      }
    }
  }

  private static double loss(Solver ode, double[] u0, double[] times, double[][] c, int batch) {
    double[][] states = Solves.states(ode, u0, batch, times);
    double sum = 0;
    for (int k = 0; k < times.length; k++) {
      for (int i = 0; i < c[k].length; i++) {
        sum += c[k][i] * states[k][i];
      }
    }
    return sum;
  }

  /** u1' = -u1, 0 = u1^2 - u2: u1 = e^-t, u2 = e^-2t. */
  static final class AlgebraicPair implements Term {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    @Override public int dimension() { return 2; }
    @Override public int parameterCount() { return 0; }
    @Override public MemorySegment parameters() { return MemorySegment.ofArray(new double[0]); }

    @Override
    public void value(double t, MemorySegment u, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        double u1 = u.getAtIndex(D, 2L * s), u2 = u.getAtIndex(D, 2L * s + 1);
        out.setAtIndex(D, 2L * s, -u1);
        out.setAtIndex(D, 2L * s + 1, u1 * u1 - u2);
      }
    }

    @Override
    public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        double u1 = u.getAtIndex(D, 2L * s), v1 = v.getAtIndex(D, 2L * s), v2 = v.getAtIndex(D, 2L * s + 1);
        out.setAtIndex(D, 2L * s, -v1);
        out.setAtIndex(D, 2L * s + 1, 2 * u1 * v1 - v2);
      }
    }

    @Override
    public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
      for (int s = 0; s < batch; s++) {
        double u1 = u.getAtIndex(D, 2L * s), w1 = w.getAtIndex(D, 2L * s), w2 = w.getAtIndex(D, 2L * s + 1);
        out.setAtIndex(D, 2L * s, -w1 + 2 * u1 * w2);
        out.setAtIndex(D, 2L * s + 1, -w2);
      }
    }

    @Override
    public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {}
  }

  @Test
  public void daeWithASingularMassMatrix() {
    var problem = new ImplicitProblem(new AlgebraicPair(), new double[] {1, 0});
    try (var s = Solver.solve(problem, SolverConfig.of(Method.parse("beuler"), StepControl.fixed(1e-3)), new double[] {1, 1}, 1,
        org.panode.ode.SaveAt.times(0.5, 1.0))) {
      assertEquals(s.states()[1][0], Math.exp(-1), 1e-3);
      assertEquals(s.states()[1][1], Math.exp(-2), 1e-3, "the algebraic component follows u1^2");
    }
  }

  @Test
  public void explicitMethodsAreRefusedForImplicitProblems() {
    var problem = new ImplicitProblem(new AlgebraicPair());
    var e = expectThrows(IllegalArgumentException.class, () -> Solver.of(problem, SolverConfig.of(Method.parse("rk4"), StepControl.fixed(0.1))));
    assertTrue(e.getMessage().contains("implicit method"), e.getMessage());
  }
}

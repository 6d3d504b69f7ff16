package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Function;
import org.panode.ode.CirculantTerm;
import org.panode.ode.CircularStencilTerm;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Every shifted solver remakes its set-up after a failed one, whatever number J's version is: a
 * term may report -1, which once also meant "nothing prepared".
 */
public class PreparedForTest {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void holdsOnlyWhatWasMadeAndNothingAfterForget() {
    PreparedFor p = new PreparedFor();
    assertFalse(p.holds(-1, Double.NaN));
    assertFalse(p.holds(0, 1.0));
    expectThrows(IllegalStateException.class, p::require);
    p.made(-1, 2.0);
    assertTrue(p.holds(-1, 2.0));
    assertTrue(p.holds(-1, 2.0 * (1 + 1e-14)), "a shift that differs by rounding");
    assertFalse(p.holds(-1, 2.0 * (1 + 1e-9)));
    assertFalse(p.holds(0, 2.0));
    PreparedFor built = new PreparedFor();
    assertFalse(built.holds(p));
    built.made(p);
    assertTrue(built.holds(p));
    p.forget();
    assertFalse(p.holds(-1, 2.0));
    assertFalse(built.holds(p), "nothing is built on a set-up that is gone");
    expectThrows(IllegalStateException.class, () -> built.made(p));
  }

  @DataProvider
  Object[][] solvers() {
    return new Object[][] {
        {"banded", (Function<CirculantTerm, ShiftedSolver>) t -> new ShiftedBandedCirculant(t, new Counters())},
        {"fft", (Function<CirculantTerm, ShiftedSolver>) t -> new ShiftedFft(t, new Counters())},
        {"gemm", (Function<CirculantTerm, ShiftedSolver>) t -> new ShiftedCirculantGemm(t, new Counters())},
        {"lu", (Function<CirculantTerm, ShiftedSolver>) t -> new ShiftedLu(t, new Counters())},
    };
  }

  @Test(dataProvider = "solvers")
  public void aFailedSetUpIsRemadeWhenJsVersionIsMinusOne(String name, Function<CirculantTerm, ShiftedSolver> make) {
    // J = the periodic second difference: shift 0 is singular, shift 1 is not.
    int d = 8;
    CirculantTerm term = new VersionMinusOne(new CircularStencilTerm(new double[] {1, -2, 1}, d, false));
    try (ShiftedSolver solver = make.apply(term); ShiftedSolver reference = make.apply(term);
        Arena arena = Arena.ofConfined()) {
      solver.prepare(1.0);
      expectThrows(RuntimeException.class, () -> solver.prepare(0.0));
      solver.prepare(1.0);
      reference.prepare(1.0);
      MemorySegment x = arena.allocate(D, d), expected = arena.allocate(D, d);
      for (int i = 0; i < d; i++) {
        x.setAtIndex(D, i, Math.sin(i + 1.0));
      }
      expected.copyFrom(x);
      solver.solveInPlace(x, 1, false);
      reference.solveInPlace(expected, 1, false);
      for (int i = 0; i < d; i++) {
        assertEquals(x.getAtIndex(D, i), expected.getAtIndex(D, i), 1e-14, name + " at " + i);
      }
    }
  }

  /** The same circulant J, reporting version -1 always (J never changes, so that keeps the contract). */
  private record VersionMinusOne(CircularStencilTerm inner) implements CirculantTerm {
    @Override public long version() { return -1; }
    @Override public void circulantRow(double[] row) { inner.circulantRow(row); }
    @Override public void matrix(double[] rowMajor) { inner.matrix(rowMajor); }
    @Override public int dimension() { return inner.dimension(); }
    @Override public int parameterCount() { return inner.parameterCount(); }
    @Override public MemorySegment parameters() { return inner.parameters(); }
    @Override public void value(double t, MemorySegment u, int batch, MemorySegment out) { inner.value(t, u, batch, out); }
    @Override public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) { inner.vjp(t, u, w, batch, out); }

    @Override
    public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
      inner.vjpParameters(t, u, w, batch, gradient);
    }
  }
}

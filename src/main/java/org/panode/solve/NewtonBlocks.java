package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.Term;
import org.panode.petsc.DenseLu;

/**
 * The Newton matrices shift*M - df/du of every sample of a batch, assembled from d JVPs at a
 * linearization point and LU-factored, for exact forward Newton steps and the adjoint's transposed
 * solves. Refactored at the first solve after the point moved (PETSc also evaluates Jacobians only
 * to multiply with them).
 */
final class NewtonBlocks implements AutoCloseable {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  private final Term f;
  private final double[] mass;
  private final int d;
  private final int batch;
  private final Counters counters;
  private final DenseLu[] blocks;
  private final double[][] values;
  private final MemorySegment direction;
  private final MemorySegment column;
  private long factoredAt = -1;

  NewtonBlocks(Term f, double[] mass, int d, int batch, Counters counters, Arena arena) {
    this.f = f;
    this.mass = mass;
    this.d = d;
    this.batch = batch;
    this.counters = counters;
    this.blocks = new DenseLu[batch];
    this.values = new double[batch][d * d];
    this.direction = arena.allocate(D, (long) d * batch);
    this.column = arena.allocate(D, (long) d * batch);
    try {
      for (int sample = 0; sample < batch; sample++) {
        blocks[sample] = new DenseLu(d);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** y = (shift M - df/du)^-1 x per sample (or the transpose) at the point. */
  void solve(LinearizationPoint at, MemorySegment x, MemorySegment y, boolean transpose) {
    if (factoredAt != at.moves()) {
      factor(at);
      factoredAt = at.moves();
    }
    y.copyFrom(x);
    for (int sample = 0; sample < batch; sample++) {
      blocks[sample].solveInPlace(y.asSlice(8L * sample * d, 8L * d), 1, transpose);
    }
    counters.linearSolves++;
  }

  private void factor(LinearizationPoint at) {
    for (int j = 0; j < d; j++) {
      direction.fill((byte) 0);
      for (int sample = 0; sample < batch; sample++) {
        direction.setAtIndex(D, (long) sample * d + j, 1.0);
      }
      f.jvp(at.time(), at.state(), direction, batch, column);
      counters.jvps++;
      for (int sample = 0; sample < batch; sample++) {
        for (int i = 0; i < d; i++) {
          double value = -column.getAtIndex(D, (long) sample * d + i);
          values[sample][i * d + j] = i == j ? value + at.shift() * (mass == null ? 1 : mass[i]) : value;
        }
      }
    }
    for (int sample = 0; sample < batch; sample++) {
      blocks[sample].factor(values[sample]);
      counters.luFactorizations++;
    }
  }

  @Override
  public void close() {
    for (DenseLu b : blocks) {
      if (b != null) {
        b.close();
      }
    }
  }
}

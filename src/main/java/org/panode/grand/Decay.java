package org.panode.grand;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.panode.ode.LinearTerm;
import org.panode.ode.Shapes;

/**
 * The implicit part of GRAND's split right-hand side, J x = -sigmoid(alpha) x: a multiple of the
 * identity. Its one parameter, alpha, is the first parameter of the explicit {@link
 * AttentionDiffusion} (the same memory), so writing it there changes both. Shifted systems
 * (shift + sigmoid(alpha)) I are solved exactly by one Krylov iteration; {@link #matrix} exists
 * for small states only (direct LU).
 */
public final class Decay implements LinearTerm {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int dimension;
  private final MemorySegment alpha;

  public Decay(AttentionDiffusion explicit) {
    this.dimension = explicit.dimension();
    this.alpha = explicit.alphaSegment();
  }

  private double rate() {
    return AttentionDiffusion.sigmoid(alpha.getAtIndex(D, 0));
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int parameterCount() {
    return 1;
  }

  @Override
  public MemorySegment parameters() {
    return alpha;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(out, batch, dimension, "out");
    scale(-rate(), u, out, (long) batch * dimension);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    Shapes.check(w, batch, dimension, "w");
    Shapes.check(out, batch, dimension, "out");
    scale(-rate(), w, out, (long) batch * dimension);
  }

  /** gradient[0] += -s(1 - s) u . w. */
  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(w, batch, dimension, "w");
    double s = rate(), dot = 0;
    long n = (long) batch * dimension;
    for (long i = 0; i < n; i++) {
      dot += u.getAtIndex(D, i) * w.getAtIndex(D, i);
    }
    gradient.setAtIndex(D, 0, gradient.getAtIndex(D, 0) - s * (1 - s) * dot);
  }

  private static void scale(double c, MemorySegment in, MemorySegment out, long n) {
    for (long i = 0; i < n; i++) {
      out.setAtIndex(D, i, c * in.getAtIndex(D, i));
    }
  }

  @Override
  public void matrix(double[] rowMajor) {
    if (rowMajor.length != (long) dimension * dimension) {
      throw new IllegalArgumentException("the " + dimension + " x " + dimension + " matrix needs "
          + (long) dimension * dimension + " values (use a Krylov solver for large states), got " + rowMajor.length);
    }
    Arrays.fill(rowMajor, 0);
    double s = -rate();
    for (int i = 0; i < dimension; i++) {
      rowMajor[i * dimension + i] = s;
    }
  }

  /** J depends on alpha alone: its bits are the version. */
  @Override
  public long version() {
    return Double.doubleToLongBits(alpha.getAtIndex(D, 0));
  }
}

package org.panode.ode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * J u with a dense d x d matrix J, fixed or learnable (then its d*d entries, row-major, are the
 * parameters). For matrices with few nonzeros per row, {@link CircularStencilTerm} is cheaper.
 */
public final class DenseLinearTerm implements LinearTerm {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int d;
  private final boolean learnable;
  private final MemorySegment matrix;
  private final MemorySegment seen;
  private long version;

  /** J given row-major; learnable makes its entries the parameters. */
  public DenseLinearTerm(double[] rowMajor, int d, boolean learnable) {
    if (d <= 0 || rowMajor.length != d * d) {
      throw new IllegalArgumentException("J must be d x d = " + d + " x " + d + " values, got " + rowMajor.length);
    }
    this.d = d;
    this.learnable = learnable;
    this.matrix = Arena.ofAuto().allocate(D, (long) d * d);
    MemorySegment.copy(rowMajor, 0, matrix, D, 0, rowMajor.length);
    this.seen = Arena.ofAuto().allocate(D, (long) d * d).copyFrom(matrix);
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return learnable ? d * d : 0;
  }

  @Override
  public MemorySegment parameters() {
    return learnable ? matrix : MemorySegment.ofArray(new double[0]);
  }

  @Override
  public void matrix(double[] rowMajor) {
    MemorySegment.copy(matrix, D, 0, rowMajor, 0, d * d);
  }

  /** Changes when the entries change (they are the parameters, writable by an optimizer). */
  @Override
  public long version() {
    if (matrix.mismatch(seen) != -1) {
      seen.copyFrom(matrix);
      version++;
    }
    return version;
  }

  /** value and vjp only read J and write their own output. */
  @Override
  public boolean threadSafe() {
    return true;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    multiply(u, batch, out, false);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    multiply(w, batch, out, true);
  }

  private void multiply(MemorySegment x, int batch, MemorySegment out, boolean transpose) {
    Shapes.check(x, batch, d, "input");
    Shapes.check(out, batch, d, "output");
    for (int s = 0; s < batch; s++) {
      long base = (long) s * d;
      for (int i = 0; i < d; i++) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
          long entry = transpose ? (long) j * d + i : (long) i * d + j;
          sum += matrix.getAtIndex(D, entry) * x.getAtIndex(D, base + j);
        }
        out.setAtIndex(D, base + i, sum);
      }
    }
  }

  /** d(J u)/dJ_ij = u_j e_i: gradient_ij += sum_s w_si u_sj. */
  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    if (!learnable) {
      return;
    }
    for (int s = 0; s < batch; s++) {
      long base = (long) s * d;
      for (int i = 0; i < d; i++) {
        double wi = w.getAtIndex(D, base + i);
        for (int j = 0; j < d; j++) {
          long k = (long) i * d + j;
          gradient.setAtIndex(D, k, gradient.getAtIndex(D, k) + wi * u.getAtIndex(D, base + j));
        }
      }
    }
  }
}

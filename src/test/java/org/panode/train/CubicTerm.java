package org.panode.train;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.Term;

/**
 * A learnable pointwise cubic G(u)_i = c0 + c1 u_i + c2 u_i^2 + c3 u_i^3 with exact JVP and VJPs;
 * parameters [c0, c1, c2, c3]. The reaction part of du/dt = -u^3 + nu u_xx is c = (0, 0, 0, -1).
 */
final class CubicTerm implements Term {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int d;
  private final MemorySegment c = Arena.ofAuto().allocate(D, 4);

  CubicTerm(int d, double... coefficients) {
    this.d = d;
    MemorySegment.copy(coefficients, 0, c, D, 0, 4);
  }

  private double c(int k) {
    return c.getAtIndex(D, k);
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return 4;
  }

  @Override
  public MemorySegment parameters() {
    return c;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    for (long i = 0; i < (long) batch * d; i++) {
      double x = u.getAtIndex(D, i);
      out.setAtIndex(D, i, c(0) + x * (c(1) + x * (c(2) + x * c(3))));
    }
  }

  private double slope(double x) {
    return c(1) + x * (2 * c(2) + x * 3 * c(3));
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    for (long i = 0; i < (long) batch * d; i++) {
      out.setAtIndex(D, i, slope(u.getAtIndex(D, i)) * v.getAtIndex(D, i));
    }
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    jvp(t, u, w, batch, out); // the Jacobian is diagonal
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    double[] g = new double[4];
    for (long i = 0; i < (long) batch * d; i++) {
      double x = u.getAtIndex(D, i), wi = w.getAtIndex(D, i);
      g[0] += wi;
      g[1] += wi * x;
      g[2] += wi * x * x;
      g[3] += wi * x * x * x;
    }
    for (int k = 0; k < 4; k++) {
      gradient.setAtIndex(D, k, gradient.getAtIndex(D, k) + g[k]);
    }
  }
}

package org.panode.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.ode.Term;

/** A reaction network's right-hand side as an ODE {@link Term} without parameters. */
final class KineticsTerm implements Term {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final ReactionNetwork network;
  private final int d;
  private double[] y = new double[0], x = new double[0], out = new double[0];

  KineticsTerm(ReactionNetwork network) {
    this.network = network;
    this.d = network.species();
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return 0;
  }

  @Override
  public MemorySegment parameters() {
    return MemorySegment.ofArray(new double[0]);
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment result) {
    load(u, null, batch);
    for (int s = 0; s < batch; s++) {
      network.derivative(y, out, s * d);
    }
    store(result, batch);
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment result) {
    load(u, v, batch);
    for (int s = 0; s < batch; s++) {
      network.jvp(y, x, out, s * d);
    }
    store(result, batch);
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment result) {
    load(u, w, batch);
    for (int s = 0; s < batch; s++) {
      network.vjp(y, x, out, s * d);
    }
    store(result, batch);
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {}

  private void load(MemorySegment u, MemorySegment direction, int batch) {
    int n = batch * d;
    if (y.length != n) {
      y = new double[n];
      x = new double[n];
      out = new double[n];
    }
    MemorySegment.copy(u, D, 0, y, 0, n);
    if (direction != null) {
      MemorySegment.copy(direction, D, 0, x, 0, n);
    }
  }

  private void store(MemorySegment result, int batch) {
    MemorySegment.copy(out, 0, result, D, 0, batch * d);
  }
}

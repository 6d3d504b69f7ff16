package org.panode.solve;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.ode.Term;

/**
 * A small pure-Java test network G(u) = W2 tanh(W1 u + b1) + b2 with exact JVP and VJPs, so the
 * solver tests do not depend on the ND4J layers. Parameters: [W1 (h x d), b1, W2 (d x h), b2].
 */
final class TanhMlpTerm implements Term {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int d;
  private final int h;
  private final MemorySegment params;

  TanhMlpTerm(int d, int h, long seed, double scale) {
    this.d = d;
    this.h = h;
    this.params = Arena.ofAuto().allocate(D, parameterCount());
    Random random = new Random(seed);
    for (long i = 0; i < parameterCount(); i++) {
      params.setAtIndex(D, i, scale * random.nextGaussian());
    }
  }

  private double w1(int i, int j) {
    return params.getAtIndex(D, (long) i * d + j);
  }

  private double b1(int i) {
    return params.getAtIndex(D, (long) h * d + i);
  }

  private long w2Index(int i, int j) {
    return (long) h * d + h + (long) i * h + j;
  }

  private long b2Index(int i) {
    return (long) h * d + h + (long) d * h + i;
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int parameterCount() {
    return h * d + h + d * h + d;
  }

  @Override
  public MemorySegment parameters() {
    return params;
  }

  private double[] hidden(MemorySegment u, int s) {
    double[] z = new double[h];
    for (int i = 0; i < h; i++) {
      double sum = b1(i);
      for (int j = 0; j < d; j++) {
        sum += w1(i, j) * u.getAtIndex(D, (long) s * d + j);
      }
      z[i] = sum;
    }
    return z;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    for (int s = 0; s < batch; s++) {
      double[] z = hidden(u, s);
      for (int i = 0; i < d; i++) {
        double sum = params.getAtIndex(D, b2Index(i));
        for (int k = 0; k < h; k++) {
          sum += params.getAtIndex(D, w2Index(i, k)) * Math.tanh(z[k]);
        }
        out.setAtIndex(D, (long) s * d + i, sum);
      }
    }
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    for (int s = 0; s < batch; s++) {
      double[] z = hidden(u, s);
      double[] dz = new double[h];
      for (int k = 0; k < h; k++) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
          sum += w1(k, j) * v.getAtIndex(D, (long) s * d + j);
        }
        double th = Math.tanh(z[k]);
        dz[k] = (1 - th * th) * sum;
      }
      for (int i = 0; i < d; i++) {
        double sum = 0;
        for (int k = 0; k < h; k++) {
          sum += params.getAtIndex(D, w2Index(i, k)) * dz[k];
        }
        out.setAtIndex(D, (long) s * d + i, sum);
      }
    }
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    backward(u, w, batch, out, null);
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    backward(u, w, batch, null, gradient);
  }

  @Override
  public void vjpBoth(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    backward(u, w, batch, out, gradient);
  }

  private void backward(MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    for (int s = 0; s < batch; s++) {
      double[] z = hidden(u, s);
      double[] gz = new double[h];
      for (int k = 0; k < h; k++) {
        double th = Math.tanh(z[k]);
        double sum = 0;
        for (int i = 0; i < d; i++) {
          double wi = w.getAtIndex(D, (long) s * d + i);
          sum += params.getAtIndex(D, w2Index(i, k)) * wi;
          if (gradient != null) {
            add(gradient, w2Index(i, k), wi * th);
          }
        }
        gz[k] = (1 - th * th) * sum;
      }
      if (gradient != null) {
        for (int i = 0; i < d; i++) {
          add(gradient, b2Index(i), w.getAtIndex(D, (long) s * d + i));
        }
        for (int k = 0; k < h; k++) {
          add(gradient, (long) h * d + k, gz[k]);
          for (int j = 0; j < d; j++) {
            add(gradient, (long) k * d + j, gz[k] * u.getAtIndex(D, (long) s * d + j));
          }
        }
      }
      if (out != null) {
        for (int j = 0; j < d; j++) {
          double sum = 0;
          for (int k = 0; k < h; k++) {
            sum += w1(k, j) * gz[k];
          }
          out.setAtIndex(D, (long) s * d + j, sum);
        }
      }
    }
  }

  private static void add(MemorySegment m, long i, double v) {
    m.setAtIndex(D, i, m.getAtIndex(D, i) + v);
  }
}

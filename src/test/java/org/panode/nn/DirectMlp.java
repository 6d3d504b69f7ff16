package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The benchmark's direct-BLAS baseline: a ReLU MLP written out in one class, cblas_dgemm through
 * JavaCPP's OpenBLAS binding (the call ND4J's own BLAS wrapper makes) on preallocated native
 * buffers, elementwise work in plain loops; no layers, no checks, no caches.
 */
final class DirectMlp implements Mlp {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private static final int ROW = 101, NO = 111, YES = 112;
  private final int batch;
  private final int[] size;
  private final long[] offset;
  private final MemorySegment params;
  private final MemorySegment[] z, a, t, g;

  private static final class Address extends DoublePointer {
    Address(MemorySegment s) {
      this.address = s.address();
      this.capacity = s.byteSize() / 8;
      this.limit = capacity;
    }
  }

  /** The ReLU MLP with the layer sizes given, parameters copied from Network's flat layout. */
  DirectMlp(int[] size, MemorySegment parameters, int batch) {
    this.batch = batch;
    this.size = size.clone();
    int layers = size.length - 1;
    this.offset = new long[layers + 1];
    for (int i = 0; i < layers; i++) {
      offset[i + 1] = offset[i] + (long) size[i + 1] * size[i] + size[i + 1];
    }
    Arena arena = Arena.ofAuto();
    this.params = arena.allocate(8 * offset[layers], 64).copyFrom(parameters.asSlice(0, 8 * offset[layers]));
    z = new MemorySegment[layers + 1];
    a = new MemorySegment[layers + 1];
    t = new MemorySegment[layers + 1];
    g = new MemorySegment[layers + 1];
    for (int i = 1; i <= layers; i++) {
      long n = 8L * batch * size[i];
      z[i] = arena.allocate(n, 64);
      a[i] = arena.allocate(n, 64);
      t[i] = arena.allocate(n, 64);
      g[i] = arena.allocate(n, 64);
    }
  }

  private MemorySegment weights(int i) {
    return params.asSlice(8 * offset[i], 8L * size[i + 1] * size[i]);
  }

  private static void gemm(boolean ta, boolean tb, int m, int n, int k, MemorySegment x, MemorySegment y, double beta, MemorySegment c) {
    openblas_nolapack.cblas_dgemm(ROW, ta ? YES : NO, tb ? YES : NO, m, n, k, 1, new Address(x), ta ? m : k,
        new Address(y), tb ? k : n, beta, new Address(c), n);
  }

  /** z[i+1] = x W_i^T + b_i, a[i+1] = relu(z[i+1]) except after the last layer; returns the output. */
  private void forward(MemorySegment u, MemorySegment out) {
    int layers = size.length - 1;
    MemorySegment x = u;
    for (int i = 0; i < layers; i++) {
      int in = size[i], o = size[i + 1];
      MemorySegment y = i == layers - 1 && out != null ? out : z[i + 1];
      for (int s = 0; s < batch; s++) {
        MemorySegment.copy(params, 8 * (offset[i] + (long) o * in), y, 8L * s * o, 8L * o);
      }
      gemm(false, true, batch, o, in, x, weights(i), 1, y);
      if (i < layers - 1) {
        long n = (long) batch * o;
        for (long j = 0; j < n; j++) {
          double v = y.getAtIndex(D, j);
          a[i + 1].setAtIndex(D, j, v > 0 ? v : 0);
        }
        x = a[i + 1];
      }
    }
  }

  @Override
  public void value(MemorySegment u, MemorySegment out) {
    forward(u, out);
  }

  @Override
  public void jvp(MemorySegment u, MemorySegment v, MemorySegment out) {
    forward(u, null);
    int layers = size.length - 1;
    MemorySegment tx = v;
    for (int i = 0; i < layers; i++) {
      int in = size[i], o = size[i + 1];
      MemorySegment ty = i == layers - 1 ? out : t[i + 1];
      gemm(false, true, batch, o, in, tx, weights(i), 0, ty);
      if (i < layers - 1) {
        long n = (long) batch * o;
        for (long j = 0; j < n; j++) {
          double value = ty.getAtIndex(D, j);
          ty.setAtIndex(D, j, z[i + 1].getAtIndex(D, j) > 0 ? value : 0);
        }
      }
      tx = ty;
    }
  }

  @Override
  public void vjpBoth(MemorySegment u, MemorySegment w, MemorySegment out, MemorySegment gradient) {
    forward(u, null);
    int layers = size.length - 1;
    MemorySegment gz = w;
    for (int i = layers - 1; i >= 0; i--) {
      int in = size[i], o = size[i + 1];
      MemorySegment x = i == 0 ? u : a[i];
      gemm(true, false, o, in, batch, gz, x, 1, gradient.asSlice(8 * offset[i]));
      long bias = offset[i] + (long) o * in;
      for (int s = 0; s < batch; s++) {
        for (int j = 0; j < o; j++) {
          gradient.setAtIndex(D, bias + j, gradient.getAtIndex(D, bias + j) + gz.getAtIndex(D, (long) s * o + j));
        }
      }
      MemorySegment gx = i == 0 ? out : g[i];
      gemm(false, false, batch, in, o, gz, weights(i), 0, gx);
      if (i > 0) {
        long n = (long) batch * in;
        for (long j = 0; j < n; j++) {
          double value = gx.getAtIndex(D, j);
          gx.setAtIndex(D, j, z[i].getAtIndex(D, j) > 0 ? value : 0);
        }
      }
      gz = gx;
    }
  }
}

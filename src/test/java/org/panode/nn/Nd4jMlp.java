package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark's plain-ND4J baseline: a ReLU MLP as Nd4j.gemm into preallocated arrays and ND4J's
 * in-place ops (row-vector add, relu, relu_bp), the callers' segments wrapped without copying.
 */
final class Nd4jMlp implements Mlp {
  private final int[] size;
  private final long[] offset;
  /** Holds the memory the weight and bias views read; ND4J's views alone do not keep it alive. */
  private final MemorySegment params;
  private final INDArray[] weights, biases, z, a, t, g;
  private final INDArray ones;
  private final SegmentArrays views = new SegmentArrays();
  private final int batch;

  /** The ReLU MLP with the layer sizes given, parameters copied from Network's flat layout. */
  Nd4jMlp(int[] size, MemorySegment parameters, int batch) {
    this.size = size.clone();
    this.batch = batch;
    int layers = size.length - 1;
    offset = new long[layers + 1];
    for (int i = 0; i < layers; i++) {
      offset[i + 1] = offset[i] + (long) size[i + 1] * size[i] + size[i + 1];
    }
    params = Arena.ofAuto().allocate(8 * offset[layers], 64).copyFrom(parameters.asSlice(0, 8 * offset[layers]));
    weights = new INDArray[layers];
    biases = new INDArray[layers];
    z = new INDArray[layers + 1];
    a = new INDArray[layers + 1];
    t = new INDArray[layers + 1];
    g = new INDArray[layers + 1];
    for (int i = 0; i < layers; i++) {
      weights[i] = views.matrix(params.asSlice(8 * offset[i]), size[i + 1], size[i]);
      biases[i] = views.matrix(params.asSlice(8 * (offset[i] + (long) size[i + 1] * size[i])), 1, size[i + 1]);
      z[i + 1] = Nd4j.create(DataType.DOUBLE, batch, size[i + 1]);
      a[i + 1] = Nd4j.create(DataType.DOUBLE, batch, size[i + 1]);
      t[i + 1] = Nd4j.create(DataType.DOUBLE, batch, size[i + 1]);
      g[i + 1] = Nd4j.create(DataType.DOUBLE, batch, size[i + 1]);
    }
    ones = Nd4j.ones(DataType.DOUBLE, 1, batch);
  }

  private INDArray forward(MemorySegment u, MemorySegment out) {
    int layers = size.length - 1;
    INDArray x = views.matrix(u, batch, size[0]);
    for (int i = 0; i < layers; i++) {
      INDArray y = i == layers - 1 && out != null ? views.matrix(out, batch, size[layers]) : z[i + 1];
      Nd4j.gemm(x, weights[i], y, false, true, 1, 0);
      y.addiRowVector(biases[i]);
      if (i < layers - 1) {
        Nd4j.exec(new RectifiedLinear(y, a[i + 1], 0.0));
        x = a[i + 1];
      }
    }
    return x;
  }

  @Override
  public void value(MemorySegment u, MemorySegment out) {
    forward(u, out);
  }

  @Override
  public void jvp(MemorySegment u, MemorySegment v, MemorySegment out) {
    forward(u, null);
    int layers = size.length - 1;
    INDArray tx = views.matrix(v, batch, size[0]);
    for (int i = 0; i < layers; i++) {
      INDArray ty = i == layers - 1 ? views.matrix(out, batch, size[layers]) : g[i + 1];
      Nd4j.gemm(tx, weights[i], ty, false, true, 1, 0);
      if (i < layers - 1) {
        Nd4j.exec(new ThresholdReluBp(z[i + 1], ty, t[i + 1], 0.0));
        ty = t[i + 1];
      }
      tx = ty;
    }
  }

  @Override
  public void vjpBoth(MemorySegment u, MemorySegment w, MemorySegment out, MemorySegment gradient) {
    forward(u, null);
    int layers = size.length - 1;
    INDArray gz = views.matrix(w, batch, size[layers]);
    for (int i = layers - 1; i >= 0; i--) {
      int in = size[i], o = size[i + 1];
      INDArray x = i == 0 ? views.matrix(u, batch, in) : a[i];
      Nd4j.gemm(gz, x, views.matrix(gradient.asSlice(8 * offset[i]), o, in), true, false, 1, 1);
      Nd4j.gemm(ones, gz, views.matrix(gradient.asSlice(8 * (offset[i] + (long) o * in)), 1, o), false, false, 1, 1);
      INDArray gx = i == 0 ? views.matrix(out, batch, in) : t[i];
      Nd4j.gemm(gz, weights[i], gx, false, false, 1, 0);
      if (i > 0) {
        Nd4j.exec(new ThresholdReluBp(z[i], gx, g[i], 0.0));
        gx = g[i];
      }
      gz = gx;
    }
  }
}

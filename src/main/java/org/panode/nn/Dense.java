package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

/**
 * y = W x + b per sample. Parameters: W (out x in, row-major), then b (out); this is also DL4J's
 * flat layout of a DenseLayer (its W is in x out, column-major).
 */
public final class Dense implements Layer {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int in;
  private final int out;
  private final double initStd;
  private MemorySegment ones = MemorySegment.NULL; // batch ones: the bias gradient is gy^T ones

  /** Weights start as N(0, initStd^2) draws, biases at zero. */
  public Dense(int in, int out, double initStd) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("a dense layer needs positive sizes, got " + in + " -> " + out);
    }
    if ((long) out * in + out > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a dense layer " + in + " -> " + out + " has " + ((long) out * in + out)
          + " parameters, more than one array holds (2^31 - 9)");
    }
    if (!(initStd >= 0)) {
      throw new IllegalArgumentException("initial weight std must be >= 0, got " + initStd);
    }
    this.in = in;
    this.out = out;
    this.initStd = initStd;
  }

  @Override
  public boolean independentRows() {
    return true;
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public int parameterCount() {
    return out * in + out; // below 2^31: checked when made
  }

  @Override
  public void initialize(MemorySegment p, RandomGenerator random) {
    long weights = (long) out * in;
    for (long i = 0; i < weights; i++) {
      p.setAtIndex(D, i, initStd * random.nextGaussian());
    }
    p.asSlice(8 * weights, 8L * out).fill((byte) 0);
  }

  @Override
  public void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch) {
    long bias = 8L * out * in;
    for (int s = 0; s < batch; s++) {
      MemorySegment.copy(p, bias, y, 8L * s * out, 8L * out);
    }
    Blas.gemm(false, true, batch, out, in, 1, x, p, 1, y);
  }

  @Override
  public void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch) {
    Blas.gemm(false, true, batch, out, in, 1, tx, p, 0, ty);
  }

  @Override
  public void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch) {
    if (gradient != null) {
      Blas.gemm(true, false, out, in, batch, 1, gy, x, 1, gradient);
      addBiasGradient(gy, gradient, batch);
    }
    if (gx != null) {
      Blas.gemm(false, false, batch, in, out, 1, gy, p, 0, gx);
    }
  }

  /** Rows o..o+r of dW and db for the outputs of this part, each from the whole batch. */
  @Override
  public void parameterGradient(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy,
      MemorySegment gradient, int batch, int part, int parts) {
    int lo = (int) ((long) out * part / parts), rows = (int) ((long) out * (part + 1) / parts) - lo;
    if (rows == 0) {
      return;
    }
    MemorySegment gyColumns = gy.asSlice(8L * lo);
    Blas.gemm(true, false, rows, in, batch, 1, gyColumns, out, x, in, 1, gradient.asSlice(8L * lo * in), in);
    Blas.gemv(true, batch, rows, 1, gyColumns, out, ones(batch), 1, gradient.asSlice(8L * (out * in + lo), 8L * rows));
  }

  /** db += the column sums of gy (a GEMV with a vector of ones). */
  private void addBiasGradient(MemorySegment gy, MemorySegment gradient, int batch) {
    Blas.gemv(true, batch, out, 1, gy, ones(batch), 1, gradient.asSlice(8L * out * in, 8L * out));
  }

  /** At least batch ones, made on first use (row blocks of one call may ask at once). */
  private synchronized MemorySegment ones(int batch) {
    if (ones.byteSize() < 8L * batch) {
      MemorySegment made = java.lang.foreign.Arena.ofAuto().allocate(D, batch);
      for (int s = 0; s < batch; s++) {
        made.setAtIndex(D, s, 1.0);
      }
      ones = made;
    }
    return ones;
  }
}

package org.panode.data;

import java.util.Arrays;

/**
 * An n-dimensional array in C (row-major) order: real values (float64, or float32 widened exactly),
 * integers (int8, int32 or int64 in a file, read as longs; labels), or unicode strings (names). The
 * shape is copied; the data is not (arrays can be large).
 */
public sealed interface NdArray permits NdArray.Doubles, NdArray.Longs, NdArray.Strings {
  int[] shape();

  /** The number of elements: the product of the shape (1 for a 0-d array). */
  default int size() {
    return size(shape());
  }

  /** Float64 values. */
  record Doubles(int[] shape, double[] data) implements NdArray {
    public Doubles {
      shape = checked(shape, data.length);
    }

    /** The contiguous block at the given leading indices, e.g. row i of a 2-d array, or u[i, j, :]. */
    public double[] slice(int... leading) {
      int[] at = blockOffset(shape, leading);
      return Arrays.copyOfRange(data, at[0], at[0] + at[1]);
    }

    @Override
    public String toString() {
      return "float64" + Arrays.toString(shape);
    }
  }

  /** Integer values (int32 or int64 in the file). */
  record Longs(int[] shape, long[] data) implements NdArray {
    public Longs {
      shape = checked(shape, data.length);
    }

    /** The values as ints; IllegalArgumentException if one does not fit. */
    public int[] ints() {
      int[] out = new int[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = Math.toIntExact(data[i]);
      }
      return out;
    }

    @Override
    public String toString() {
      return "int64" + Arrays.toString(shape);
    }
  }

  /** Unicode strings (NumPy's {@code <U..}; trailing NULs, NumPy's padding, are not part of a string). */
  record Strings(int[] shape, String[] data) implements NdArray {
    public Strings {
      shape = checked(shape, data.length);
      for (int i = 0; i < data.length; i++) {
        java.util.Objects.requireNonNull(data[i], "string " + i);
      }
    }

    @Override
    public String toString() {
      return "unicode" + Arrays.toString(shape);
    }
  }

  static Doubles of(double[] data, int... shape) {
    return new Doubles(shape, data);
  }

  /** The product of the dimensions; IllegalArgumentException if one is negative or it exceeds an int. */
  static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than a Java array holds");
      }
    }
    return (int) n;
  }

  private static int[] checked(int[] shape, int length) {
    int[] copy = shape.clone();
    if (size(copy) != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(copy) + " needs " + size(copy) + " values, got " + length);
    }
    return copy;
  }

  /** [offset, length] of the block at the leading indices. */
  private static int[] blockOffset(int[] shape, int[] leading) {
    if (leading.length > shape.length) {
      throw new IllegalArgumentException(leading.length + " indices for a " + shape.length + "-d array");
    }
    int offset = 0;
    for (int k = 0; k < leading.length; k++) {
      if (leading[k] < 0 || leading[k] >= shape[k]) {
        throw new IndexOutOfBoundsException("index " + leading[k] + " on axis " + k + " of shape " + Arrays.toString(shape));
      }
      offset = offset * shape[k] + leading[k];
    }
    int block = size(Arrays.copyOfRange(shape, leading.length, shape.length));
    return new int[] {offset * block, block};
  }
}

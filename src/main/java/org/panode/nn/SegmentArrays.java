package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J arrays over segments and back. A native segment becomes a row-major INDArray over the same
 * memory (ND4J does not free it; the memory must outlive the array); the views are cached by
 * address and shape, since callers pass the same arrays again and again and a new view costs
 * microseconds. A heap segment is copied. Not thread-safe.
 */
public final class SegmentArrays {
  static {
    SystemOpenBlas.loadFirst(); // before ND4J's OpenBLAS: see SystemOpenBlas
  }

  private static final int VIEWS = 64;
  private final Map<Key, INDArray> views = new LinkedHashMap<>(2 * VIEWS, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, INDArray> eldest) {
      return size() > VIEWS;
    }
  };

  private record Key(long address, long rows, long columns) {}

  /** A pointer to existing memory; JavaCPP leaves its deallocation to the owner. */
  private static final class Address extends DoublePointer {
    Address(long address, long count) {
      this.address = address;
      this.capacity = count;
      this.limit = count;
    }
  }

  /** The first rows x columns doubles of s as a row-major double matrix: a view if s is native, else a copy. */
  public INDArray matrix(MemorySegment s, long rows, long columns) {
    long n = rows * columns;
    if (s.byteSize() < 8 * n) {
      throw new IllegalArgumentException("segment holds " + s.byteSize() / 8 + " doubles, a " + rows + " x "
          + columns + " matrix needs " + n);
    }
    if (!s.isNative()) {
      return Nd4j.create(s.asSlice(0, 8 * n).toArray(ValueLayout.JAVA_DOUBLE), new long[] {rows, columns}, 'c');
    }
    return views.computeIfAbsent(new Key(s.address(), rows, columns), k -> {
      DataBuffer buffer = Nd4j.getDataBufferFactory().create(new Address(k.address(), n), n);
      return Nd4j.create(buffer, new long[] {rows, columns}, new long[] {columns, 1}, 0, 'c', DataType.DOUBLE);
    });
  }

  /** The memory of a contiguous row-major double array or vector (a view, valid while the array lives). */
  public static MemorySegment segment(INDArray a) {
    if (!rowMajorContiguous(a)) {
      throw new IllegalArgumentException("need a contiguous row-major double array, got " + a.dataType() + " '"
          + a.ordering() + "' with element stride " + a.elementWiseStride());
    }
    return MemorySegment.ofAddress(a.data().address() + 8 * a.offset()).reinterpret(8 * a.length());
  }

  /** Copies a's entries, in row-major order, into out. */
  public static void copy(INDArray a, MemorySegment out) {
    INDArray c = rowMajorContiguous(a) ? a : a.castTo(DataType.DOUBLE).dup('c');
    MemorySegment.copy(segment(c), 0, out, 0, 8 * c.length());
  }

  /** Whether a's entries lie in row-major order, one after the other (a vector in either order does). */
  private static boolean rowMajorContiguous(INDArray a) {
    return a.dataType() == DataType.DOUBLE && a.elementWiseStride() == 1 && (a.ordering() == 'c' || a.isVector());
  }
}

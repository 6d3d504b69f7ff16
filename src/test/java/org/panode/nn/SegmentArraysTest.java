package org.panode.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotSame;
import static org.testng.Assert.assertSame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.testng.annotations.Test;

/** INDArray views of segments alias the memory, both ways. */
public class SegmentArraysTest {
  @Test
  public void nativeSegmentViewsAliasAndAreCached() {
    SegmentArrays arrays = new SegmentArrays();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(8 * 6);
      for (int i = 0; i < 6; i++) {
        s.setAtIndex(TermChecks.D, i, i);
      }
      INDArray m = arrays.matrix(s, 2, 3);
      assertEquals(m.getDouble(1, 0), 3.0);
      m.putScalar(1, 2, 42.0);
      assertEquals(s.getAtIndex(TermChecks.D, 5), 42.0);
      s.setAtIndex(TermChecks.D, 1, -7.0);
      assertEquals(m.getDouble(0, 1), -7.0);
      m.muli(2);
      assertEquals(s.getAtIndex(TermChecks.D, 5), 84.0);
      assertSame(arrays.matrix(s, 2, 3), m);
      assertNotSame(arrays.matrix(s, 3, 2), m);
    }
  }

  @Test
  public void heapSegmentsAreCopied() {
    double[] data = {1, 2, 3, 4};
    INDArray m = new SegmentArrays().matrix(MemorySegment.ofArray(data), 2, 2);
    assertEquals(m.getDouble(1, 1), 4.0);
    m.putScalar(0, 0, 9);
    assertEquals(data[0], 1.0);
  }

  @Test
  public void arraySegmentsAliasIncludingViews() {
    INDArray a = Nd4j.create(DataType.DOUBLE, 4, 3);
    MemorySegment s = SegmentArrays.segment(a);
    s.setAtIndex(TermChecks.D, 4, 5.5);
    assertEquals(a.getDouble(1, 1), 5.5);
    INDArray row = a.getRow(2);
    SegmentArrays.segment(row).setAtIndex(TermChecks.D, 0, -1.0);
    assertEquals(a.getDouble(2, 0), -1.0);
    NetworkTest.assertMessage(() -> SegmentArrays.segment(a.getColumn(1)), "contiguous row-major");
  }

  @Test
  public void copyWritesRowMajorWhateverTheOrder() {
    INDArray f = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
    double[] out = new double[6];
    SegmentArrays.copy(f, MemorySegment.ofArray(out));
    assertEquals(out, new double[] {f.getDouble(0, 0), f.getDouble(0, 1), f.getDouble(0, 2), f.getDouble(1, 0),
        f.getDouble(1, 1), f.getDouble(1, 2)});
  }

  @Test
  public void tooSmallSegmentsAreRejected() {
    NetworkTest.assertMessage(() -> new SegmentArrays().matrix(MemorySegment.ofArray(new double[5]), 2, 3),
        "segment holds 5 doubles, a 2 x 3 matrix needs 6");
  }
}

package org.panode.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A network call split into row blocks over Panode's batch threads gives what one thread gives
 * to rounding (BLAS blocks a smaller product differently; the blocks' gradients are summed), on a callback's
 * thread-confined segments too; a failing block reaches the caller and the pool works on.
 */
public class BatchThreadsTest {
  private int before;

  @BeforeClass
  public void remember() {
    before = BatchThreads.get();
  }

  @AfterClass(alwaysRun = true)
  public void restore() {
    BatchThreads.set(before);
  }

  private record Results(double[] value, double[] jvp, double[] vjp, double[] gradient) {}

  /** value, jvp and vjpBoth of one network at one state, with the pool at {@code threads}. */
  private static Results evaluate(Network net, int threads, int batch, long seed) {
    BatchThreads.set(threads);
    int d = net.dimension();
    try (Arena arena = Arena.ofConfined()) { // confined, as a PETSc callback's arrays are
      Random random = new Random(seed);
      MemorySegment u = TermChecks.gaussian(arena, d * batch, random, 1);
      MemorySegment v = TermChecks.gaussian(arena, d * batch, random, 1);
      MemorySegment w = TermChecks.gaussian(arena, d * batch, random, 1);
      MemorySegment value = arena.allocate(8L * d * batch), jvp = arena.allocate(8L * d * batch);
      MemorySegment vjp = arena.allocate(8L * d * batch), gradient = arena.allocate(8L * net.parameterCount());
      gradient.fill((byte) 0);
      net.value(0, u.asReadOnly(), batch, value);
      net.jvp(0, u, v, batch, jvp);
      net.vjpBoth(0, u, w, batch, vjp, gradient);
      net.vjpBoth(0, u, w, batch, vjp, gradient); // adds: twice the gradient
      return new Results(value.toArray(TermChecks.D), jvp.toArray(TermChecks.D), vjp.toArray(TermChecks.D),
          gradient.toArray(TermChecks.D));
    }
  }

  @Test
  public void splitBatchesGiveTheSerialResults() {
    Network net = Network.mlp(12, new int[] {40, 40}, 12, Activation.TANH, 5, 0.3);
    for (int batch : new int[] {31, 64, 97}) {
      Results one = evaluate(net, 1, batch, batch);
      for (int threads : new int[] {2, 3}) {
        Results split = evaluate(net, threads, batch, batch);
        String what = "batch " + batch + ", " + threads + " threads: ";
        close(split.value(), one.value(), what + "value");
        close(split.jvp(), one.jvp(), what + "jvp");
        close(split.vjp(), one.vjp(), what + "vjp");
        close(split.gradient(), one.gradient(), what + "gradient");
      }
    }
  }

  /** Equal to 1e-13 of the largest entry. */
  private static void close(double[] actual, double[] expected, String what) {
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0, what + " is all zeros");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(actual[i], expected[i], 1e-13 * scale, what + " " + i);
    }
  }

  @Test
  public void everyBlockRunsOnceAndAFailureReachesTheCaller() {
    BatchThreads.set(3);
    AtomicIntegerArray runs = new AtomicIntegerArray(5);
    BatchThreads.run(5, runs::incrementAndGet);
    for (int i = 0; i < 5; i++) {
      assertEquals(runs.get(i), 1, "block " + i);
    }
    IllegalStateException e = expectThrows(IllegalStateException.class, () -> BatchThreads.run(3, block -> {
      if (block == 1) {
        throw new IllegalStateException("block 1 failed");
      }
    }));
    assertEquals(e.getMessage(), "block 1 failed");
    int[] nested = new int[1];
    BatchThreads.run(2, block -> BatchThreads.run(2, inner -> {
      synchronized (nested) {
        nested[0]++;
      }
    }));
    assertEquals(nested[0], 4, "nested calls run serially");
    assertTrue(BatchThreads.get() == 3);
  }

  @Test
  public void rangesCoverEveryIndexOnce() {
    BatchThreads.set(3);
    for (int count : new int[] {0, 1, 99, 100, 299, 300, 1001}) {
      int[] hits = new int[count];
      java.util.concurrent.atomic.AtomicInteger parts = new java.util.concurrent.atomic.AtomicInteger();
      BatchThreads.range(count, 100, (from, to) -> {
        parts.incrementAndGet();
        assertTrue(to - from >= Math.min(count, 100), count + ": part " + from + ".." + to);
        for (int i = from; i < to; i++) {
          hits[i]++;
        }
      });
      for (int i = 0; i < count; i++) {
        assertTrue(hits[i] == 1, count + ": index " + i + " ran " + hits[i] + " times");
      }
      assertTrue(parts.get() == Math.max(1, Math.min(3, count / 100)), count + ": " + parts.get() + " parts");
    }
  }

  @Test
  public void copiesAndComparisonsOfConfinedSegmentsOnThePool() {
    BatchThreads.set(3);
    for (int doubles : new int[] {5, 70_001, 300_007}) {
      try (Arena arena = Arena.ofConfined()) { // confined: the pool's threads reach it through views
        MemorySegment a = arena.allocate(8L * doubles), b = arena.allocate(8L * doubles);
        Random random = new Random(doubles);
        for (int i = 0; i < doubles; i++) {
          a.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, random.nextGaussian());
        }
        BatchThreads.copy(a, b);
        assertEquals(b.mismatch(a), -1L, doubles + " doubles copied");
        assertTrue(BatchThreads.same(a, b), doubles + ": same");
        for (int at : new int[] {0, doubles / 2, doubles - 1}) { // a difference in any part is seen
          long bits = b.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, at);
          b.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, at, bits ^ 1);
          assertTrue(!BatchThreads.same(a, b), doubles + ": a changed bit at " + at);
          b.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, at, bits);
        }
        assertTrue(!BatchThreads.same(a, b.asSlice(8)), "different sizes");
        Arena closed = Arena.ofConfined();
        MemorySegment gone = closed.allocate(8L * doubles);
        closed.close();
        expectThrows(IllegalStateException.class, () -> BatchThreads.copy(a, gone)); // no view of freed memory
        expectThrows(IndexOutOfBoundsException.class, () -> BatchThreads.copy(a, b.asSlice(8)));
      }
    }
  }

  @Test
  public void theFirstNonFiniteValueIsFoundInEveryPartAndOnOneThread() {
    for (int threads : new int[] {1, 3}) {
      BatchThreads.set(threads);
      for (int doubles : new int[] {5, 300_007}) {
        try (Arena arena = Arena.ofConfined()) { // confined, as a callback's vector array
          MemorySegment s = arena.allocate(8L * doubles);
          double[] a = new double[doubles];
          assertEquals(BatchThreads.firstNonFinite(s), -1L);
          assertEquals(BatchThreads.firstNonFinite(a), -1);
          // the last part's entry first, then earlier ones: the lowest index wins whichever part sees one
          for (int at : new int[] {doubles - 1, doubles / 2, 0}) {
            double bad = at == 0 ? Double.NaN : at % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, at, bad);
            a[at] = bad;
            assertEquals(BatchThreads.firstNonFinite(s), (long) at, threads + " threads, " + doubles + " doubles");
            assertEquals(BatchThreads.firstNonFinite(a), at, threads + " threads, " + doubles + " doubles");
          }
        }
      }
    }
  }

  @Test
  public void badSizesAreRefused() {
    expectThrows(IllegalArgumentException.class, () -> BatchThreads.set(0));
  }

  @Test(timeOut = 20_000) // before the check, a worker's block asking waited for itself
  public void thePoolIsNotResizedFromInsideItsBlocks() {
    BatchThreads.set(2);
    for (int asking : new int[] {0, 1}) { // the caller's block, a worker's block
      IllegalStateException e = expectThrows(IllegalStateException.class, () -> BatchThreads.run(2, block -> {
        if (block == asking) {
          BatchThreads.set(3);
        }
      }));
      assertTrue(e.getMessage().contains("inside"), e.getMessage());
    }
    assertEquals(BatchThreads.get(), 2);
    AtomicIntegerArray runs = new AtomicIntegerArray(2);
    BatchThreads.run(2, runs::incrementAndGet);
    assertEquals(runs.get(0) + runs.get(1), 2, "the pool still works");
  }

  @Test(timeOut = 20_000)
  public void anInterruptedCallerWaitsWithoutSpinningAndKeepsItsFlag() throws Exception {
    BatchThreads.set(2);
    Thread.currentThread().interrupt();
    try {
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      long started = System.nanoTime(), cpuStarted = cpu.getCurrentThreadCpuTime();
      BatchThreads.run(2, block -> {
        if (block == 1) { // the caller waits 0.2 s for this block; a park may return early (the start's permit)
          for (long end = System.nanoTime() + 200_000_000, left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
          }
        }
      });
      long waited = System.nanoTime() - started, busy = cpu.getCurrentThreadCpuTime() - cpuStarted;
      assertTrue(waited >= 150_000_000, "the caller waited for the worker's block");
      assertTrue(busy < waited / 2, "the caller parked while it waited: " + busy / 1e6 + " ms of CPU in " + waited / 1e6 + " ms");
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }
}

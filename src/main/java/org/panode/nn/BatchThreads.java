package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Panode's thread pool for a network's batch: {@link Network} splits the samples of one call into
 * row blocks, one per thread, each running the whole layer chain with single-threaded BLAS. This
 * is the process's one compute pool: while it has more than one thread, OpenBLAS (which the layers
 * and PETSc share) is kept at one thread, so the two never oversubscribe the cores.
 *
 * <p>The size comes from {@link #configured()}; {@link #set} changes it. One caller at a time: a second thread that
 * asks while the pool works runs its blocks itself, one after another.
 */
public final class BatchThreads {
  /** Spin this long (ns) for a block's completion before parking: a call's blocks take 0.1-100 ms. */
  private static final long SPIN_NANOS = 50_000;
  /**
   * An idle worker spins this long for the next block before parking, while the pools of this
   * host's ranks fit its cores: the caller's serial work between calls (the time stepper's vector
   * operations) often takes longer than 50 us, and waking a parked thread costs the caller a
   * system call each time.
   */
  private static final long IDLE_SPIN_NANOS = 1_000_000;
  private static volatile long idleSpinNanos = SPIN_NANOS;
  private static final ReentrantLock BUSY = new ReentrantLock();
  private static Worker[] workers = new Worker[0];
  private static volatile int threads = 1;

  static {
    int n = configured();
    set(n);
    if (n == 1 && localRanks() > 1 && !openBlasAsked()) {
      oneBlasThread(); // ranks x threads <= cores
    }
  }

  private BatchThreads() {}

  /**
   * The configured size: -Dpanode.threads, PANODE_THREADS; else 1 when OpenBLAS's own pool was
   * asked for (OPENBLAS_NUM_THREADS or -Dpanode.blas.threads); else the available cores shared
   * among the MPI ranks on this host (OpenMPI's OMPI_COMM_WORLD_LOCAL_SIZE).
   */
  public static int configured() {
    String text = System.getProperty("panode.threads", System.getenv("PANODE_THREADS"));
    if (text == null || text.isBlank()) {
      if (openBlasAsked()) {
        return 1;
      }
      return Math.max(1, Runtime.getRuntime().availableProcessors() / localRanks());
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException("panode.threads / PANODE_THREADS must be a whole number >= 1, got '" + text + "'");
  }

  /**
   * OpenBLAS at one thread. A BLAS that cannot be loaded is left to say so at its first call, with
   * its own one-line reason, rather than failing this class's initialization.
   */
  private static void oneBlasThread() {
    try {
      BlasThreads.set(1);
    } catch (RuntimeException | LinkageError e) {
      // reported by Blas at the first GEMM
    }
  }

  private static boolean openBlasAsked() {
    return System.getenv("OPENBLAS_NUM_THREADS") != null || System.getProperty(BlasLibrary.THREADS_PROPERTY) != null;
  }

  private static int localRanks() {
    try {
      return Math.max(1, Integer.parseInt(System.getenv().getOrDefault("OMPI_COMM_WORLD_LOCAL_SIZE", "1").strip()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The pool's size (1: every call runs in its caller's thread). */
  public static int get() {
    return threads;
  }

  /**
   * Sizes the pool to {@code n} threads, the caller's included; above 1 OpenBLAS is set to one
   * thread. With 1, OpenBLAS's thread count is left as it is: OPENBLAS_NUM_THREADS's, or one if an
   * earlier size above 1 set it so ({@link BlasThreads#set} changes it). Not from inside a block.
   */
  public static void set(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch threads must be >= 1, got " + n);
    }
    if (BUSY.isHeldByCurrentThread() || Thread.currentThread() instanceof PoolThread) {
      throw new IllegalStateException("the batch threads cannot be resized from inside one of their blocks");
    }
    BUSY.lock();
    try {
      // The new workers are published only once all of them started; the old ones stop after.
      Worker[] made = new Worker[n - 1];
      try {
        for (int i = 0; i < n - 1; i++) {
          made[i] = new Worker(i + 1);
        }
      } catch (RuntimeException | Error e) {
        for (Worker w : made) {
          if (w != null) {
            w.stop();
          }
        }
        throw e;
      }
      for (Worker w : workers) {
        w.stop();
      }
      workers = made;
      threads = n;
      idleSpinNanos = (long) n * localRanks() <= Runtime.getRuntime().availableProcessors() ? IDLE_SPIN_NANOS : SPIN_NANOS;
      if (n > 1) {
        oneBlasThread();
      }
    } finally {
      BUSY.unlock();
    }
  }

  /**
   * Runs {@code block.accept(i)} for i in [0, blocks), blocks <= {@link #get()}, block 0 in the
   * caller's thread; returns when all are done, rethrowing the first failure. For Panode's own
   * batch work (the network's row blocks, the FFT solves' samples); a block must not touch a
   * segment confined to the caller's thread.
   */
  public static void run(int blocks, IntConsumer block) {
    if (blocks <= 1 || BUSY.isHeldByCurrentThread() || !BUSY.tryLock()) { // nested or concurrent: serial
      for (int i = 0; i < blocks; i++) {
        block.accept(i);
      }
      return;
    }
    try {
      Worker[] w = workers;
      int n = Math.min(blocks - 1, w.length);
      Thread caller = Thread.currentThread();
      for (int i = 0; i < n; i++) {
        w[i].start(block, caller);
      }
      Throwable failure = null;
      long started = BlasProfile.ON ? System.nanoTime() : 0;
      try {
        block.accept(0);
        for (int i = n + 1; i < blocks; i++) {
          block.accept(i);
        }
      } catch (Throwable e) {
        failure = e;
      }
      long callerDone = BlasProfile.ON ? System.nanoTime() : 0;
      for (int i = 0; i < n; i++) {
        Throwable f = w[i].await();
        if (failure == null) {
          failure = f;
        } else if (f != null && f != failure) {
          failure.addSuppressed(f);
        }
      }
      if (BlasProfile.ON) {
        profile(w, n, started, callerDone);
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    } finally {
      BUSY.unlock();
    }
  }

  /** Reports a parallel part to {@link BlasProfile}: from start to the last thread's end, and each thread's wait for it. */
  private static void profile(Worker[] w, int n, long started, long callerDone) {
    long end = callerDone;
    for (int i = 0; i < n; i++) {
      end = Math.max(end, w[i].doneAt);
    }
    long wait = end - callerDone;
    for (int i = 0; i < n; i++) {
      wait += end - w[i].doneAt;
    }
    BlasProfile.parallelPart(end - started, wait);
  }

  /** A contiguous part [from, to) of a range. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over [0, count) cut into one contiguous part per thread, none shorter than
   * {@code minPart} (a single part, in the caller's thread, when count < 2 minPart). For long
   * element-wise passes (the optimizer's step, the parameter gradient's sums); the same rules as
   * {@link #run}.
   */
  public static void range(int count, int minPart, RangeBody body) {
    int parts = (int) Math.max(1, Math.min(threads, count / (long) Math.max(1, minPart)));
    if (parts == 1) {
      body.run(0, count);
      return;
    }
    run(parts, p -> body.run((int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts)));
  }

  /** Below this many bytes a copy or comparison runs in the caller's thread (dispatch costs more). */
  private static final long MIN_PART_BYTES = 1 << 18;

  /**
   * A view of s that the pool's threads may use too (a callback's vector arrays are confined to
   * its thread). Sound only inside a call whose caller waits for the pool, so the owner cannot
   * free the memory meanwhile. Heap, null and closed segments are returned as they are (a closed
   * one then fails at its use, as it would have).
   */
  public static MemorySegment shared(MemorySegment s) {
    if (s == null || !s.isNative() || !s.scope().isAlive()) {
      return s;
    }
    MemorySegment view = MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    return s.isReadOnly() ? view.asReadOnly() : view;
  }

  /** Copies all of source into the start of target, in parts on the pool when it is large. */
  public static void copy(MemorySegment source, MemorySegment target) {
    long bytes = source.byteSize();
    if (bytes > target.byteSize()) {
      throw new IndexOutOfBoundsException("copy of " + bytes + " bytes into " + target.byteSize());
    }
    long words = bytes / 8;
    if (threads == 1 || bytes < 2 * MIN_PART_BYTES || words > Integer.MAX_VALUE || bytes % 8 != 0) {
      MemorySegment.copy(source, 0, target, 0, bytes);
      return;
    }
    MemorySegment from = shared(source), to = shared(target);
    range((int) words, (int) (MIN_PART_BYTES / 8), (lo, hi) -> MemorySegment.copy(from, 8L * lo, to, 8L * lo, 8L * (hi - lo)));
  }

  /** The first index whose value is NaN or infinite, or -1; a large array is checked in parts on the pool. */
  public static int firstNonFinite(double[] values) {
    return (int) firstNonFinite(MemorySegment.ofArray(values));
  }

  /**
   * The index of the first NaN or infinity among the doubles of s, or -1; a large segment is
   * checked in parts on the pool (s may be confined to the caller, as a callback's vector arrays are).
   */
  public static long firstNonFinite(MemorySegment s) {
    long count = s.byteSize() / 8;
    if (threads == 1 || 8 * count < 2 * MIN_PART_BYTES || count > Integer.MAX_VALUE) {
      return firstNonFinite(s, 0, count);
    }
    MemorySegment x = shared(s);
    AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    range((int) count, (int) (MIN_PART_BYTES / 8), (from, to) -> {
      long i = firstNonFinite(x, from, to);
      if (i >= 0) {
        first.accumulateAndGet(i, Math::min);
      }
    });
    return first.get() == Long.MAX_VALUE ? -1 : first.get();
  }

  /** The scan of one part: a small method of its own, which the JIT compiles early. */
  private static long firstNonFinite(MemorySegment s, long from, long to) {
    for (long i = from; i < to; i++) {
      if (!Double.isFinite(s.getAtIndex(ValueLayout.JAVA_DOUBLE, i))) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a and b hold the same bytes (and size), compared in parts on the pool when large. */
  public static boolean same(MemorySegment a, MemorySegment b) {
    long bytes = a.byteSize();
    if (bytes != b.byteSize()) {
      return false;
    }
    long words = bytes / 8;
    if (threads == 1 || bytes < 2 * MIN_PART_BYTES || words > Integer.MAX_VALUE || bytes % 8 != 0) {
      return a.mismatch(b) == -1;
    }
    MemorySegment x = shared(a), y = shared(b);
    AtomicBoolean differ = new AtomicBoolean();
    range((int) words, (int) (MIN_PART_BYTES / 8), (lo, hi) -> {
      if (MemorySegment.mismatch(x, 8L * lo, 8L * hi, y, 8L * lo, 8L * hi) != -1) {
        differ.set(true);
      }
    });
    return !differ.get();
  }

  /** One pool thread: waits for a block, runs it, signals the caller. */
  private static final class Worker implements Runnable {
    private final int index;
    private final Thread thread;
    private volatile IntConsumer task;
    private volatile boolean done = true;
    private volatile boolean stopped;
    private volatile Thread caller;
    private Throwable failure;
    /** When the last block ended (System.nanoTime), kept only while BLAS calls are profiled. */
    private volatile long doneAt;

    Worker(int index) {
      this.index = index;
      this.thread = new PoolThread(this, "panode-batch-" + index);
      thread.start();
    }

    void start(IntConsumer block, Thread from) {
      failure = null;
      caller = from;
      done = false;
      task = block;
      LockSupport.unpark(thread);
    }

    Throwable await() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      boolean interrupted = false; // park returns at once while the flag is set: keep it aside
      while (!done) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return failure;
    }

    void stop() {
      stopped = true;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      while (!stopped) {
        IntConsumer t = task;
        if (t == null) {
          long spinUntil = System.nanoTime() + idleSpinNanos;
          while ((t = task) == null && !stopped) {
            if (System.nanoTime() < spinUntil) {
              Thread.onSpinWait();
            } else {
              LockSupport.park(this);
            }
          }
          if (t == null) {
            return;
          }
        }
        try {
          t.accept(index);
        } catch (Throwable e) {
          failure = e;
        }
        task = null;
        if (BlasProfile.ON) {
          doneAt = System.nanoTime();
        }
        done = true;
        LockSupport.unpark(caller);
      }
    }
  }

  /** A pool thread, told apart from callers' threads. */
  private static final class PoolThread extends Thread {
    PoolThread(Runnable worker, String name) {
      super(worker, name);
      setDaemon(true);
    }
  }
}

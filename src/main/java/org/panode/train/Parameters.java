package org.panode.train;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.nn.BatchThreads;
import org.panode.ode.SplitProblem;

/**
 * A flat parameter vector made of the terms' own parameter segments, which the terms read on
 * every call: for a split problem [theta_J, theta_G], the layout of
 * {@link org.panode.solve.Gradients#parameters()}. Reads and writes go straight to the segments.
 */
public final class Parameters {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final MemorySegment[] segments;
  private final int count;

  private Parameters(MemorySegment... segments) {
    this.segments = segments;
    long bytes = 0;
    for (MemorySegment s : segments) {
      bytes += s.byteSize();
    }
    this.count = Math.toIntExact(bytes / 8);
  }

  /** [theta_J, theta_G] of the problem. */
  public static Parameters of(SplitProblem problem) {
    return new Parameters(
        problem.implicit().parameters().asSlice(0, 8L * problem.implicit().parameterCount()),
        problem.explicit().parameters().asSlice(0, 8L * problem.explicit().parameterCount()));
  }

  /** theta of an implicit problem's term. */
  public static Parameters of(org.panode.ode.ImplicitProblem problem) {
    return new Parameters(problem.term().parameters().asSlice(0, 8L * problem.term().parameterCount()));
  }

  /** The flat parameters of any problem. */
  public static Parameters of(org.panode.ode.Problem problem) {
    return switch (problem) {
      case SplitProblem p -> of(p);
      case org.panode.ode.ImplicitProblem p -> of(p);
    };
  }

  /** The concatenation of whole segments of doubles. */
  public static Parameters of(MemorySegment... segments) {
    for (MemorySegment s : segments) {
      if (s.byteSize() % 8 != 0) {
        throw new IllegalArgumentException("a parameter segment of " + s.byteSize() + " bytes is not whole doubles");
      }
    }
    return new Parameters(segments.clone());
  }

  public int count() {
    return count;
  }

  /** A copy of the values. */
  public double[] get() {
    return get(new double[count]);
  }

  /** The values copied into {@code into} (of {@link #count()} doubles); returns it. */
  public double[] get(double[] into) {
    if (into.length != count) {
      throw new IllegalArgumentException("expected an array of " + count + " parameters, got " + into.length);
    }
    copyTo(into, 0, count);
    return into;
  }

  /** Writes all values; throws, writing nothing, on a wrong count or a NaN/Inf. */
  public void set(double[] values) {
    if (values.length != count) {
      throw new IllegalArgumentException("expected " + count + " parameters, got " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("parameter " + i + " is " + values[i]);
      }
    }
    copyFrom(values, 0, count);
  }

  /** Copies the values into {@code target} (at least count doubles). */
  void copyTo(MemorySegment target) {
    long offset = 0;
    for (MemorySegment s : segments) {
      MemorySegment.copy(s, 0, target, offset, s.byteSize());
      offset += s.byteSize();
    }
  }

  /**
   * Copies values [from, to) into target[from, to). Callable from the batch threads while the
   * thread that owns the segments waits for them.
   */
  void copyTo(double[] target, int from, int to) {
    int offset = 0;
    for (MemorySegment s : segments) {
      int n = (int) (s.byteSize() / 8), lo = Math.max(from, offset), hi = Math.min(to, offset + n);
      if (lo < hi) {
        MemorySegment.copy(BatchThreads.shared(s), D, 8L * (lo - offset), target, lo, hi - lo);
      }
      offset += n;
    }
  }

  /** Copies source[from, to) into values [from, to) (no finiteness check); as {@link #copyTo(double[], int, int)}. */
  void copyFrom(double[] source, int from, int to) {
    int offset = 0;
    for (MemorySegment s : segments) {
      int n = (int) (s.byteSize() / 8), lo = Math.max(from, offset), hi = Math.min(to, offset + n);
      if (lo < hi) {
        MemorySegment.copy(source, lo, BatchThreads.shared(s), D, 8L * (lo - offset), hi - lo);
      }
      offset += n;
    }
  }

  /** Copies count doubles from {@code source} into the values. */
  void copyFrom(MemorySegment source) {
    long offset = 0;
    for (MemorySegment s : segments) {
      MemorySegment.copy(source, offset, s, 0, s.byteSize());
      offset += s.byteSize();
    }
  }
}

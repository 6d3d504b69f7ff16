package org.panode.nn;

import static org.testng.Assert.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.panode.ode.Term;

/**
 * Checks of a Term against central finite differences of its own value(), and of its batch and
 * vjpBoth consistency. Errors are relative: max |a - b| / max |b|.
 */
final class TermChecks {
  static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  static final double FD_TOLERANCE = 1e-6;
  static final double EXACT_TOLERANCE = 1e-12;
  private static final double STEP = 1e-5;

  private TermChecks() {}

  /** The worst errors of one check. */
  record Errors(double jvp, double vjp, double parameters, double vjpBoth, double batch) {}

  static MemorySegment gaussian(Arena arena, long n, Random random, double std) {
    MemorySegment s = arena.allocate(8 * n, 64);
    for (long i = 0; i < n; i++) {
      s.setAtIndex(D, i, std * random.nextGaussian());
    }
    return s;
  }

  /** Gaussian entries pushed at least margin away from 0 (inputs of a ReLU away from its kink). */
  static MemorySegment awayFromZero(Arena arena, long n, Random random, double margin) {
    MemorySegment s = gaussian(arena, n, random, 1);
    for (long i = 0; i < n; i++) {
      double v = s.getAtIndex(D, i);
      s.setAtIndex(D, i, Math.copySign(margin + Math.abs(v), v));
    }
    return s;
  }

  static void randomizeParameters(Term term, Random random, double std) {
    MemorySegment p = term.parameters();
    for (long i = 0; i < term.parameterCount(); i++) {
      p.setAtIndex(D, i, std * random.nextGaussian());
    }
  }

  static double relativeError(MemorySegment a, MemorySegment b, long n) {
    double diff = 0, scale = 0;
    for (long i = 0; i < n; i++) {
      diff = Math.max(diff, Math.abs(a.getAtIndex(D, i) - b.getAtIndex(D, i)));
      scale = Math.max(scale, Math.abs(b.getAtIndex(D, i)));
    }
    return scale == 0 ? diff : diff / scale;
  }

  /** Runs every check at the given input, prints the errors and asserts them. */
  static Errors check(String name, Term term, MemorySegment u, int batch, Random random) {
    try (Arena arena = Arena.ofConfined()) {
      int d = term.dimension(), p = term.parameterCount();
      long n = (long) batch * d;
      MemorySegment v = gaussian(arena, n, random, 1), w = gaussian(arena, n, random, 1);
      MemorySegment out = arena.allocate(8 * n), expected = arena.allocate(8 * n);

      term.jvp(0, u, v, batch, out);
      fdJvp(term, u, v, batch, expected, arena);
      double jvp = relativeError(out, expected, n);

      term.vjp(0, u, w, batch, out);
      fdVjp(term, u, w, batch, expected, arena);
      double vjp = relativeError(out, expected, n);

      double parameters = 0, both = 0;
      MemorySegment start = gaussian(arena, Math.max(p, 1), random, 1);
      if (p > 0) {
        MemorySegment gradient = arena.allocate(8L * p).copyFrom(start.asSlice(0, 8L * p));
        term.vjpParameters(0, u, w, batch, gradient);
        MemorySegment fd = fdParameters(term, u, w, batch, arena);
        for (long i = 0; i < p; i++) {
          fd.setAtIndex(D, i, fd.getAtIndex(D, i) + start.getAtIndex(D, i));
        }
        parameters = relativeError(gradient, fd, p);
        MemorySegment bothGradient = arena.allocate(8L * p).copyFrom(start.asSlice(0, 8L * p));
        MemorySegment bothOut = arena.allocate(8 * n);
        term.vjpBoth(0, u, w, batch, bothOut, bothGradient);
        both = Math.max(relativeError(bothOut, out, n), relativeError(bothGradient, gradient, p));
      }
      double batchError = batchConsistency(term, u, v, w, batch, arena);
      Errors e = new Errors(jvp, vjp, parameters, both, batchError);
      System.out.printf("FD %-34s jvp %.2e  vjp %.2e  vjpParameters %.2e  vjpBoth %.2e  batch %.2e%n", name,
          jvp, vjp, parameters, both, batchError);
      assertTrue(jvp <= FD_TOLERANCE, name + " JVP vs FD: " + jvp);
      assertTrue(vjp <= FD_TOLERANCE, name + " VJP vs FD: " + vjp);
      assertTrue(parameters <= FD_TOLERANCE, name + " parameter VJP vs FD: " + parameters);
      assertTrue(both <= EXACT_TOLERANCE, name + " vjpBoth vs vjp + vjpParameters: " + both);
      assertTrue(batchError <= EXACT_TOLERANCE, name + " batch vs single samples: " + batchError);
      return e;
    }
  }

  /** (f(u + h v) - f(u - h v)) / 2h. */
  static void fdJvp(Term term, MemorySegment u, MemorySegment v, int batch, MemorySegment result, Arena arena) {
    long n = (long) batch * term.dimension();
    MemorySegment shifted = arena.allocate(8 * n), plus = arena.allocate(8 * n), minus = arena.allocate(8 * n);
    for (int sign : new int[] {1, -1}) {
      for (long i = 0; i < n; i++) {
        shifted.setAtIndex(D, i, u.getAtIndex(D, i) + sign * STEP * v.getAtIndex(D, i));
      }
      term.value(0, shifted, batch, sign > 0 ? plus : minus);
    }
    for (long i = 0; i < n; i++) {
      result.setAtIndex(D, i, (plus.getAtIndex(D, i) - minus.getAtIndex(D, i)) / (2 * STEP));
    }
  }

  /** Component j: the central difference of w . f(u) in u_j. */
  static void fdVjp(Term term, MemorySegment u, MemorySegment w, int batch, MemorySegment result, Arena arena) {
    long n = (long) batch * term.dimension();
    MemorySegment shifted = arena.allocate(8 * n).copyFrom(u.asSlice(0, 8 * n)), f = arena.allocate(8 * n);
    for (long j = 0; j < n; j++) {
      double original = shifted.getAtIndex(D, j);
      shifted.setAtIndex(D, j, original + STEP);
      term.value(0, shifted, batch, f);
      double plus = dot(w, f, n);
      shifted.setAtIndex(D, j, original - STEP);
      term.value(0, shifted, batch, f);
      double minus = dot(w, f, n);
      shifted.setAtIndex(D, j, original);
      result.setAtIndex(D, j, (plus - minus) / (2 * STEP));
    }
  }

  /** Component k: the central difference of w . f(u) in parameter k, perturbed through parameters(). */
  static MemorySegment fdParameters(Term term, MemorySegment u, MemorySegment w, int batch, Arena arena) {
    long n = (long) batch * term.dimension();
    MemorySegment p = term.parameters(), f = arena.allocate(8 * n), result = arena.allocate(8L * term.parameterCount());
    for (long k = 0; k < term.parameterCount(); k++) {
      double original = p.getAtIndex(D, k);
      p.setAtIndex(D, k, original + STEP);
      term.value(0, u, batch, f);
      double plus = dot(w, f, n);
      p.setAtIndex(D, k, original - STEP);
      term.value(0, u, batch, f);
      double minus = dot(w, f, n);
      p.setAtIndex(D, k, original);
      result.setAtIndex(D, k, (plus - minus) / (2 * STEP));
    }
    return result;
  }

  static double dot(MemorySegment a, MemorySegment b, long n) {
    double sum = 0;
    for (long i = 0; i < n; i++) {
      sum += a.getAtIndex(D, i) * b.getAtIndex(D, i);
    }
    return sum;
  }

  /** The largest error of value, jvp, vjp and vjpParameters on the batch against one call per sample. */
  static double batchConsistency(Term term, MemorySegment u, MemorySegment v, MemorySegment w, int batch, Arena arena) {
    int d = term.dimension(), p = term.parameterCount();
    long n = (long) batch * d;
    MemorySegment whole = arena.allocate(8 * n), single = arena.allocate(8 * n);
    MemorySegment gradient = arena.allocate(8L * Math.max(p, 1)), singleGradient = arena.allocate(8L * Math.max(p, 1));
    double worst = 0;
    for (int kind = 0; kind < 4; kind++) {
      if (kind == 3 && p == 0) {
        break;
      }
      gradient.fill((byte) 0);
      singleGradient.fill((byte) 0);
      call(term, kind, u, v, w, batch, whole, gradient);
      for (int s = 0; s < batch; s++) {
        long at = 8L * s * d;
        call(term, kind, u.asSlice(at, 8L * d), v.asSlice(at, 8L * d), w.asSlice(at, 8L * d), 1,
            single.asSlice(at, 8L * d), singleGradient);
      }
      worst = Math.max(worst, kind == 3 ? relativeError(singleGradient, gradient, p) : relativeError(single, whole, n));
    }
    return worst;
  }

  private static void call(Term term, int kind, MemorySegment u, MemorySegment v, MemorySegment w, int batch,
      MemorySegment out, MemorySegment gradient) {
    switch (kind) {
      case 0 -> term.value(0, u, batch, out);
      case 1 -> term.jvp(0, u, v, batch, out);
      case 2 -> term.vjp(0, u, w, batch, out);
      default -> term.vjpParameters(0, u, w, batch, gradient);
    }
  }
}

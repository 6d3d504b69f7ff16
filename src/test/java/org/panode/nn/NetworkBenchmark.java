package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Median per-call cost of value, jvp and vjpBoth of the KSE (64-200x4-64) and Burgers
 * (512-576x4-512) ReLU networks, next to a direct-BLAS baseline ({@link DirectMlp}) and a plain
 * ND4J baseline ({@link Nd4jMlp}) of the same network, timed in turns in the same run. Prints a
 * Markdown table. A main class, not a test: run with OMP_WAIT_POLICY=PASSIVE.
 */
public final class NetworkBenchmark {
  private record Case(String name, int d, int width, int hidden, int batch) {}

  private static final List<Case> CASES = List.of(
      new Case("KSE 64-200x4-64", 64, 200, 4, 16),
      new Case("KSE 64-200x4-64", 64, 200, 4, 256),
      new Case("Burgers 512-576x4-512", 512, 576, 4, 200));
  private static final String[] OPS = {"value", "jvp", "vjpBoth"};
  private static final int BLOCKS = 6;
  private static final double SECONDS_PER_BLOCK = 0.25;

  private NetworkBenchmark() {}

  public static void main(String[] args) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    System.out.printf(Locale.ROOT, "%d cores, %s%n%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    System.out.println("| network | batch | call | Network (us) | direct BLAS (us) | plain ND4J (us) | Network / direct | Network / ND4J |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Case c : CASES) {
      int[] hidden = new int[c.hidden()];
      Arrays.fill(hidden, c.width());
      Network network = Network.mlp(c.d(), hidden, c.d(), Activation.RELU, 1, 1 / Math.sqrt(c.width()));
      int[] sizes = new int[c.hidden() + 2];
      Arrays.fill(sizes, c.width());
      sizes[0] = c.d();
      sizes[sizes.length - 1] = c.d();
      Mlp[] mlps = {Mlp.of(network, c.batch()), new DirectMlp(sizes, network.parameters(), c.batch()),
          new Nd4jMlp(sizes, network.parameters(), c.batch())};
      try (Arena arena = Arena.ofConfined()) {
        Random random = new Random(2);
        long n = (long) c.batch() * c.d();
        MemorySegment u = gaussian(arena, n, random), v = gaussian(arena, n, random);
        MemorySegment[] outs = new MemorySegment[3], gradients = new MemorySegment[3];
        for (int k = 0; k < 3; k++) {
          outs[k] = arena.allocate(8 * n, 64);
          gradients[k] = arena.allocate(8L * network.parameterCount(), 64);
        }
        for (int op = 0; op < OPS.length; op++) {
          checkAgreement(mlps, op, u, v, outs, gradients, n, network.parameterCount(), c);
          double[] median = time(mlps, op, u, v, outs, gradients);
          System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %.2f | %.2f |%n", c.name(), c.batch(), OPS[op],
              median[0], median[1], median[2], median[0] / median[1], median[0] / median[2]);
        }
      }
    }
  }

  private static void call(Mlp mlp, int op, MemorySegment u, MemorySegment v, MemorySegment out, MemorySegment gradient) {
    switch (op) {
      case 0 -> mlp.value(u, out);
      case 1 -> mlp.jvp(u, v, out);
      default -> mlp.vjpBoth(u, v, out, gradient);
    }
  }

  /** The three implementations must compute the same thing, or the comparison means nothing. */
  private static void checkAgreement(Mlp[] mlps, int op, MemorySegment u, MemorySegment v, MemorySegment[] outs,
      MemorySegment[] gradients, long n, int p, Case c) {
    for (int k = 0; k < 3; k++) {
      gradients[k].fill((byte) 0);
      call(mlps[k], op, u, v, outs[k], gradients[k]);
    }
    for (int k = 1; k < 3; k++) {
      double error = Math.max(TermChecks.relativeError(outs[k], outs[0], n),
          op == 2 ? TermChecks.relativeError(gradients[k], gradients[0], p) : 0);
      if (error > 1e-10) {
        throw new IllegalStateException(c + " " + OPS[op] + ": baseline " + k + " differs from Network by " + error);
      }
    }
  }

  /**
   * Median microseconds per call of each implementation. Each is timed in blocks of consecutive
   * calls, the blocks taken in turn, so that slow phases of the machine hit all alike while no
   * implementation runs between two calls of another (ND4J's OpenMP threads and OpenBLAS's threads
   * slow each other down when their calls alternate).
   */
  private static double[] time(Mlp[] mlps, int op, MemorySegment u, MemorySegment v, MemorySegment[] outs,
      MemorySegment[] gradients) {
    double[] perCall = new double[3];
    for (int k = 0; k < 3; k++) {
      long start = System.nanoTime();
      int calls = 0;
      while (calls < 10 || System.nanoTime() - start < 0.2e9) {
        call(mlps[k], op, u, v, outs[k], gradients[k]);
        calls++;
      }
      perCall[k] = (System.nanoTime() - start) / 1e9 / calls;
    }
    List<List<Double>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int block = 0; block < BLOCKS; block++) {
      for (int k = 0; k < 3; k++) {
        int calls = (int) Math.max(3, Math.min(500, SECONDS_PER_BLOCK / perCall[k]));
        for (int c = 0; c < calls; c++) {
          long t0 = System.nanoTime();
          call(mlps[k], op, u, v, outs[k], gradients[k]);
          samples.get(k).add((System.nanoTime() - t0) / 1e3);
        }
      }
    }
    double[] median = new double[3];
    for (int k = 0; k < 3; k++) {
      List<Double> sorted = samples.get(k).stream().sorted().toList();
      median[k] = sorted.get(sorted.size() / 2);
    }
    return median;
  }

  private static MemorySegment gaussian(Arena arena, long n, Random random) {
    return TermChecks.gaussian(arena, n, random, 1);
  }
}

package org.panode.petsc;

import static org.testng.Assert.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.testng.annotations.Test;

/**
 * DenseLu solves several right-hand sides at once as it solves each alone, with a small residual,
 * also after ND4J's OpenBLAS is loaded (its dgetrs, 0.3.19, is wrong for several right-hand sides
 * on AVX-512 CPUs (its SkylakeX kernels); DenseLu must use the LAPACK that PETSc links).
 */
public class DenseLuBatchTest {
  /** In a JVM where ND4J's OpenBLAS came first, DenseLu refuses the LAPACK it gets, with the reason. */
  @Test
  public void aWrongLapackIsRefused() throws Exception {
    // ND4J's OpenBLAS 0.3.19 is wrong with its AVX-512 (SkylakeX) kernels, right with its Haswell ones.
    String auto = lapackFirstFromNd4j(null), haswell = lapackFirstFromNd4j("Haswell");
    assertTrue(haswell.contains("accepted"), haswell);
    if (!auto.contains("core SkylakeX") && !auto.contains("core Cooperlake")) {
      // e.g. an AMD Zen 4/5: AVX-512, but 0.3.19 runs its Zen (AVX2) kernels there
      throw new org.testng.SkipException("ND4J's OpenBLAS picks kernels that are right here: " + auto.lines().findFirst().orElse(""));
    }
    assertTrue(auto.contains("refused: the LAPACK next to libpetsc solves wrongly"), auto);
  }

  /** What WrongLapackFirst prints in a JVM with this OPENBLAS_CORETYPE (null: OpenBLAS detects the CPU). */
  private static String lapackFirstFromNd4j(String coreType) throws Exception {
    String jvm = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(jvm, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        WrongLapackFirst.class.getName()).redirectErrorStream(true);
    if (coreType == null) {
      builder.environment().remove("OPENBLAS_CORETYPE");
    } else {
      builder.environment().put("OPENBLAS_CORETYPE", coreType);
    }
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    return output;
  }

  @Test
  public void batchedSolveEqualsSingleSolvesAndSolves() {
    PetscSession.get();
    int n = 64, columns = 3;
    try (Arena arena = Arena.ofConfined()) { // a network evaluation loads ND4J's OpenBLAS into the process
      Network.mlp(4, new int[] {4}, 4, Activation.RELU, 0, 0.1).value(0, arena.allocate(32), 1, arena.allocate(32));
    }
    SplittableRandom random = new SplittableRandom(1);
    double[] a = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextDouble(-1, 1);
    }
    for (int i = 0; i < n; i++) {
      a[i * n + i] += 10;
    }
    double[] b = new double[n * columns];
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextDouble(-1, 1);
    }
    try (DenseLu lu = new DenseLu(n); Arena arena = Arena.ofConfined()) {
      lu.factor(a);
      MemorySegment all = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
      lu.solveInPlace(all, columns, false);
      for (int c = 0; c < columns; c++) {
        MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, java.util.Arrays.copyOfRange(b, c * n, (c + 1) * n));
        lu.solveInPlace(one, 1, false);
        double difference = 0, residual = 0;
        for (int i = 0; i < n; i++) {
          difference = Math.max(difference, Math.abs(one.getAtIndex(ValueLayout.JAVA_DOUBLE, i)
              - all.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) c * n + i)));
          double ax = 0;
          for (int j = 0; j < n; j++) {
            ax += a[i * n + j] * one.getAtIndex(ValueLayout.JAVA_DOUBLE, j);
          }
          residual = Math.max(residual, Math.abs(ax - b[c * n + i]));
        }
        assertTrue(difference < 1e-13, "column " + c + ": batched vs single solve differ by " + difference);
        assertTrue(residual < 1e-12, "column " + c + ": residual " + residual);
      }
    }
  }
}

package org.panode.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/** Two MPI ranks under mpirun share one distributed vector (Comm.world()). */
public class MpiLaunchTest {
  @Test
  public void twoRanksComputeOneGlobalNorm() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = List.of("mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2",
        java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        ParallelNorm.class.getName(), "1001");
    // mpirun comes with Debian's openmpi-bin, which native/petsc.sh installs with PETSc.
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "mpirun did not finish in 120 s");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(process.exitValue(), 0, output);
    double expected = 0;
    for (int i = 0; i < 1001; i++) {
      expected += (double) i * i;
    }
    assertTrue(output.contains(String.format(Locale.ROOT, "ranks 2 size 1001 norm %.6f", Math.sqrt(expected))), output);
  }
}

package org.panode.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/**
 * Two MPI ranks under mpirun share one distributed vector (Comm.world()). The test JVM has PETSc
 * (and so MPI, as a singleton) initialised, as it has in the suite; mpirun must not inherit the
 * singleton's OMPI_/PMIX_ environment, or it exits at once with status 1 and no output.
 */
public class MpiLaunchTest {
  @Test
  public void twoRanksComputeOneGlobalNorm() throws IOException, InterruptedException {
    org.panode.petsc.PetscSession.get();
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = List.of("mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2",
        java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        ParallelNorm.class.getName(), "1001");
    // mpirun comes with Debian's openmpi-bin, which native/petsc.sh installs with PETSc.
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("OMPI_") || name.startsWith("PMIX_")
        || name.startsWith("OPAL_") || name.startsWith("PRTE_"));
    Process process = builder.start();
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

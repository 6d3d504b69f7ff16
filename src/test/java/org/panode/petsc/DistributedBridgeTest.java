package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@link DistributedBridgeRun} under mpirun on 2 ranks: Mat.toArray gives each rank its own rows
 * (PETSc refused other rows), and a NaN in the initial state on one rank is refused on both (before,
 * the other rank entered the collective solve alone and waited for ever).
 */
public class DistributedBridgeTest {
  @BeforeClass
  void session() {
    PetscSession.get(); // as in the suite: mpirun must then not inherit this JVM's MPI singleton environment
  }

  @Test
  public void twoRanksReadTheirRowsAndBothRefuseANanOnOne() throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of("mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2", javaCommand,
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), DistributedBridgeRun.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("OMPI_") || name.startsWith("PMIX_")
        || name.startsWith("OPAL_") || name.startsWith("PRTE_"));
    builder.environment().remove("PETSC_OPTIONS");
    Process process = builder.start();
    var read = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "cannot read the ranks' output: " + e;
      }
    });
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    if (!ended) { // a rank waiting in a collective call for ever: end the job
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    String output = read.get(30, TimeUnit.SECONDS);
    assertTrue(ended, "mpirun did not end in 60 s: " + output);
    assertEquals(process.exitValue(), 0, output);
    assertTrue(output.contains("rows 0 [0.0, 1.0, 2.0, 10.0, 11.0, 12.0, 20.0, 21.0, 22.0, 30.0, 31.0, 32.0]"), output);
    assertTrue(output.contains("rows 1 [40.0, 41.0, 42.0, 50.0, 51.0, 52.0, 60.0, 61.0, 62.0, 70.0, 71.0, 72.0]"), output);
    assertTrue(output.contains("refused 0 the initial state is not finite on another rank"), output);
    assertTrue(output.contains("refused 1 the initial state is not finite: local entry 2 is NaN"), output);
    assertTrue(output.contains("done 0") && output.contains("done 1"), output);
  }
}

package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code mpirun -n 2 panode train} end to end, and its failures: more ranks than samples in a
 * batch, a rank that throws mid-epoch (injected with PANODE_FAULT, inside its share of the work, an
 * exception or an Error, or after the reduction, where the others cannot learn of it): the whole job ends within seconds,
 * non-zero, the message names the rank and the cause, no output is written and the checkpoint
 * resumed from is unchanged; resuming it then gives the curve of an uninterrupted run.
 */
public class MpiTrainCommandTest {
  private static final long SECONDS = 240;

  @BeforeClass
  void session() {
    PetscSession.get(); // as in the suite: the children must not inherit this JVM's MPI singleton environment
  }

  @Test
  public void moreRanksThanSamplesInABatchIsAClearError() throws Exception {
    Path out = Files.createTempDirectory("mpi-rober");
    Result r = train(Map.of(), "rober", "--epochs", "1", "--out", out.toString());
    assertNotEquals(r.code, 0, r.output);
    assertTrue(r.output.contains("2 ranks cannot share a mini-batch of 1 sample"), r.output);
    assertTrue(noOutputs(out), "files were written: " + list(out));
  }

  @Test
  public void aFailingRankStopsTheJobAndResumeGivesTheUninterruptedCurve() throws Exception {
    Path whole = Files.createTempDirectory("mpi-whole"), half = Files.createTempDirectory("mpi-half");
    assertEquals(train(Map.of(), "kse", "--epochs", "2", "--out", whole.toString()).code, 0);
    assertEquals(train(Map.of(), "kse", "--epochs", "1", "--out", half.toString()).code, 0);
    Path checkpoint = half.resolve("checkpoint.bin");
    byte[] before = Files.readAllBytes(checkpoint);

    for (String fault : List.of("1:2:2", "1:2:2:uncoordinated", "1:2:2:error")) {
      Path failed = Files.createTempDirectory("mpi-failed");
      long began = System.nanoTime();
      Result r = train(Map.of("PANODE_FAULT", fault), "kse", "--epochs", "1", "--resume", checkpoint.toString(), "--out",
          failed.toString());
      double seconds = (System.nanoTime() - began) / 1e9;
      assertNotEquals(r.code, 0, r.output);
      assertTrue(r.output.contains("rank 1 of 2") && r.output.contains("injected fault on rank 1 in epoch 2, batch 2"), r.output);
      assertTrue(seconds < 120, fault + ": the job took " + seconds + " s to end");
      assertTrue(noOutputs(failed), fault + ": files were written: " + list(failed));
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(checkpoint), before), "the checkpoint resumed from changed");
    }

    Path resumed = Files.createTempDirectory("mpi-resumed");
    assertEquals(train(Map.of(), "kse", "--epochs", "1", "--resume", checkpoint.toString(), "--out", resumed.toString()).code, 0);
    String[] uninterrupted = Files.readAllLines(whole.resolve("loss.csv")).get(2).split(",");
    List<String> history = Files.readAllLines(resumed.resolve("loss.csv")); // the run's whole history: epoch 2 is the last
    String[] continued = history.get(history.size() - 1).split(",");
    assertEquals(continued[0], "2");
    assertEquals(Double.parseDouble(continued[2]), Double.parseDouble(uninterrupted[2]), 1e-12 * Double.parseDouble(uninterrupted[2]),
        "epoch 2 loss after resuming vs uninterrupted");
  }

  private static boolean noOutputs(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.noneMatch(f -> !f.getFileName().toString().startsWith("."));
    }
  }

  private static List<Path> list(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.toList();
    }
  }

  private record Result(int code, String output) {}

  /** mpirun -n 2 of the CLI (without the test JVM's OMPI_/PMIX_ environment); fails if it hangs. */
  private static Result train(Map<String, String> env, String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of("mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2", java,
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "train"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("OMPI_") || name.startsWith("PMIX_")
        || name.startsWith("OPAL_") || name.startsWith("PRTE_"));
    builder.environment().remove("PETSC_OPTIONS");
    builder.environment().putAll(env);
    Process process = builder.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        process.getInputStream().transferTo(output);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("mpirun hung for " + SECONDS + " s: " + output.toString(StandardCharsets.UTF_8));
    }
    reader.join(10_000);
    return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
  }
}

package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Data-parallel training under mpirun (OpenMPI, the one PETSc uses): KSE grid 64 and Burgers grid
 * 512 on small data, with batches that two ranks split unevenly, give the loss of every iteration
 * and the final parameters of one rank to 1e-10 relative, and both ranks end in the same state,
 * bit for bit (parameters, optimizer state, shuffle).
 */
public class DataParallelTest {
  @BeforeClass
  void session() {
    PetscSession.get(); // as in the suite: mpirun must then not inherit this JVM's MPI singleton environment
  }

  @Test
  public void kse64TwoRanksTrainAsOne() throws Exception {
    compare("kse", "3", "7", "21"); // 3 batches of 7: ranks take 4 and 3
  }

  @Test
  public void burgers512TwoRanksTrainAsOne() throws Exception {
    compare("burgers", "2", "3", "9"); // 3 batches of 3: ranks take 2 and 1
  }

  private static void compare(String... args) throws Exception {
    Path one = Files.createTempDirectory("dp1"), two = Files.createTempDirectory("dp2");
    List<String> single = losses(run(1, one, args));
    List<String> pair = losses(run(2, two, args));
    int epochs = Integer.parseInt(args[1]);
    assertEquals(pair.size(), single.size(), "iterations: " + pair + " vs " + single);
    assertTrue(single.size() >= 2 * epochs, "expected a loss per iteration, got " + single);
    for (int i = 0; i < single.size(); i++) {
      String[] a = single.get(i).split(" "), b = pair.get(i).split(" ");
      assertEquals(b[0] + b[1], a[0] + a[1]);
      double x = Double.parseDouble(a[2]), y = Double.parseDouble(b[2]);
      assertTrue(Double.isFinite(x) && Math.abs(x - y) <= 1e-10 * Math.abs(x), single.get(i) + " (1 rank) vs " + pair.get(i) + " (2 ranks)");
    }
    byte[] rank0 = Files.readAllBytes(two.resolve("checkpoint-0.bin")), rank1 = Files.readAllBytes(two.resolve("checkpoint-1.bin"));
    assertTrue(Arrays.equals(rank0, rank1), "the two ranks ended in different states");
    double[] p1 = TrainingCheckpoint.read(one.resolve("checkpoint-0.bin")).parameters();
    double[] p2 = TrainingCheckpoint.read(two.resolve("checkpoint-0.bin")).parameters();
    double largest = 0, difference = 0;
    for (int i = 0; i < p1.length; i++) {
      largest = Math.max(largest, Math.abs(p1[i]));
      difference = Math.max(difference, Math.abs(p1[i] - p2[i]));
    }
    assertTrue(difference <= 1e-10 * largest, "parameters differ by " + difference + " (largest " + largest + ")");
  }

  /** "loss E B VALUE" lines, plus the test loss as "test 0 VALUE". */
  private static List<String> losses(String output) {
    List<String> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("loss ")) {
        lines.add(line.substring(5).trim());
      } else if (line.startsWith("test ")) {
        lines.add("test 0 " + line.substring(5).trim());
      }
    }
    return lines;
  }

  static String run(int ranks, Path out, String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of("mpirun", "--allow-run-as-root", "--oversubscribe", "-n", String.valueOf(ranks),
        java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
        System.getProperty("java.class.path"), DataParallelRun.class.getName()));
    command.addAll(List.of(args));
    command.add(out.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("OMPI_") || name.startsWith("PMIX_")
        || name.startsWith("OPAL_") || name.startsWith("PRTE_"));
    builder.environment().remove("PETSC_OPTIONS"); // -malloc_debug would only slow the ranks; their memory is not checked here
    Process process = builder.start();
    byte[] bytes = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "mpirun did not finish in 300 s");
    String output = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(process.exitValue(), 0, output);
    return output;
  }
}

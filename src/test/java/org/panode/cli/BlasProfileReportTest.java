package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

/**
 * {@code -Dpanode.blas.profile=true} (a flag read once per JVM, hence a child process): a run prints
 * one line per epoch, then the network alone at the training batch and the dgemm reference, with
 * rates bench/side-by-side.sh reads.
 */
public class BlasProfileReportTest {
  private static final Pattern EPOCH = Pattern.compile(
      "blas-profile: epoch (\\d+) [0-9.]+ s, in BLAS [0-9.]+ s \\(([0-9.]+) % of \\d+ thread\\(s\\)' time\\), (\\d+) GEMMs,.*"
          + " ([0-9.]+) GFLOP/s over the epoch;.*: ([0-9.]+) GFLOP/s");
  private static final Pattern ALONE = Pattern.compile(
      "blas-profile: the network alone, batch (\\d+), (\\d+) x 8 values and VJPs: [0-9.]+ s, in BLAS ([0-9.]+) %.*"
          + " ([0-9.]+) GFLOP/s inside the GEMMs, ([0-9.]+) GFLOP/s over its time");
  private static final Pattern AGAINST = Pattern.compile("blas-profile: epoch (\\d+) against a dgemm 2000\\^3 right after it"
      + " \\(([0-9.]+) GFLOP/s, best of 3\\): its GEMMs ([0-9.]+) %, with the solves as dense LU ([0-9.]+) %");
  private static final Pattern THREADS = Pattern.compile("blas-profile: (epoch \\d+|the network alone) on 2 batch threads:"
      + " parallel parts ([0-9.]+) % of the time; waiting in them for the slowest thread ([0-9.]+) % of the threads' time");
  private static final Pattern DGEMM = Pattern.compile("blas-profile: dgemm 2000\\^3 in this process: ([0-9.]+) GFLOP/s.*");

  @Test
  public void aProfiledRunReportsItsEpochsTheNetworkAloneAndTheDgemm() throws Exception {
    Path base = Files.createTempDirectory("blas-profile");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dpanode.blas.profile=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "kse",
        "--epochs", "2", "--threads", "2", "--out", base.resolve("run").toString())
        .redirectErrorStream(true).redirectOutput(base.resolve("child.log").toFile()).start();
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the profiled run did not end in 5 minutes");
    List<String> lines = Files.readAllLines(base.resolve("child.log"));
    assertEquals(child.exitValue(), 0, String.join("\n", lines));

    List<Matcher> epochs = matching(lines, EPOCH);
    assertEquals(epochs.size(), 2, String.join("\n", lines));
    for (Matcher m : epochs) {
      assertTrue(Integer.parseInt(m.group(3)) > 0, m.group());
      assertShare(m.group(2), m.group());
      assertTrue(Double.parseDouble(m.group(4)) > 0 && Double.parseDouble(m.group(5)) >= Double.parseDouble(m.group(4)), m.group());
    }
    List<Matcher> against = matching(lines, AGAINST);
    assertEquals(against.size(), 2, String.join("\n", lines));
    for (int e = 0; e < 2; e++) {
      Matcher m = against.get(e);
      assertEquals(Integer.parseInt(m.group(1)), e + 1, m.group());
      assertTrue(Double.parseDouble(m.group(2)) > 0, m.group());
      // KSE's solves are FFTs, not GEMMs: counted as dense LU they add to the epoch's FLOPs
      assertTrue(Double.parseDouble(m.group(3)) > 0 && Double.parseDouble(m.group(4)) >= Double.parseDouble(m.group(3)), m.group());
    }
    List<Matcher> alone = matching(lines, ALONE);
    assertEquals(alone.size(), 1, String.join("\n", lines));
    Matcher a = alone.get(0);
    assertTrue(Integer.parseInt(a.group(1)) > 0 && Integer.parseInt(a.group(2)) > 0, a.group());
    assertShare(a.group(3), a.group());
    assertTrue(Double.parseDouble(a.group(4)) > 0 && Double.parseDouble(a.group(5)) > 0, a.group());
    List<Matcher> threads = matching(lines, THREADS);
    assertEquals(threads.stream().map(m -> m.group(1)).toList(), List.of("epoch 1", "epoch 2", "the network alone"),
        String.join("\n", lines));
    for (Matcher m : threads) {
      assertShare(m.group(2), m.group());
      double waiting = Double.parseDouble(m.group(3));
      assertTrue(waiting >= 0 && waiting < Double.parseDouble(m.group(2)), m.group());
    }
    List<Matcher> dgemm = matching(lines, DGEMM);
    assertEquals(dgemm.size(), 1, String.join("\n", lines));
    assertTrue(Double.parseDouble(dgemm.get(0).group(1)) > 0, dgemm.get(0).group());
  }

  private static void assertShare(String percent, String line) {
    double share = Double.parseDouble(percent);
    assertTrue(share > 0 && share <= 100.5, "share " + share + " in: " + line);
  }

  private static List<Matcher> matching(List<String> lines, Pattern pattern) {
    return lines.stream().map(pattern::matcher).filter(Matcher::matches).toList();
  }
}

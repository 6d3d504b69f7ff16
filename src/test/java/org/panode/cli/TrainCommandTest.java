package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * ./panode train end to end on ROBER (its data takes a second): --compare writes one CSV per method
 * and the shared chart, --resume continues the epoch count and the history, a finished run's
 * folder survives every bad option and a second run unless --overwrite, and a command leaves a
 * PETSc it did not start running.
 */
public class TrainCommandTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void compareResumeAndOutputs() throws IOException {
    Path out = Files.createTempDirectory("train").resolve("run");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "2", "--compare", "beuler", "--out", out.toString()}), 0);
    for (String file : List.of("loss.csv", "loss-beuler.csv", "costs.txt", "costs-beuler.txt", "loss.png", "species.png",
        "model.npy", "checkpoint.bin")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file);
    }
    assertEquals(Files.readAllLines(out.resolve("loss-beuler.csv")).size(), 3, "header + 2 epochs");
    assertTrue(Petsc.isInitialized(), "the command must not finalise the PETSc it found running");
    Path resumed = Files.createTempDirectory("resumed");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "1", "--resume", out.resolve("checkpoint.bin").toString(),
        "--out", resumed.toString()}), 0);
    List<String> rows = Files.readAllLines(resumed.resolve("loss.csv"));
    List<String> before = Files.readAllLines(out.resolve("loss.csv"));
    assertEquals(rows.size(), 4, "header, the 2 resumed epochs and 1 more");
    assertEquals(rows.subList(0, 3), before, "the resumed run keeps the history");
    assertTrue(rows.get(3).startsWith("3,"), "the resumed run's first epoch is epoch 3: " + rows.get(3));
  }

  @Test
  public void aFinishedRunSurvivesBadInputAndASecondRun() throws IOException {
    Path out = Files.createTempDirectory("kept").resolve("run");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "1", "--out", out.toString()}), 0);
    Map<String, byte[]> finished = contents(out);
    Path foreign = Files.createTempFile("foreign", ".bin");
    Files.writeString(foreign, "not a checkpoint");
    List<List<String>> bad = List.of(List.of("--epochs", "-3"), List.of("--epochs", "0"), List.of("--batch", "0"),
        List.of("--lr", "-1"), List.of("--step", "0"), List.of("--method", "no-such-method"),
        List.of("--optimizer", "no-such-optimizer"), List.of("--target-loss", "-1"), List.of("--time-limit", "0"),
        List.of("--test-every", "0"), List.of("--checkpoint-every", "soon"), List.of("--grid", "100"),
        List.of("--compare", "no-such-method"), List.of("--resume", foreign.toString()),
        List.of("--resume", out.resolve("no-such-file").toString()), List.of()); // the last: a second run into the folder
    for (List<String> options : bad) {
      String[] args = Stream.concat(Stream.of("train", "rober", "--out", out.toString()), options.stream()).toArray(String[]::new);
      assertEquals(Main.run(args), 2, "exit code for " + options);
      assertEquals(contents(out).keySet(), finished.keySet(), "files after " + options);
      finished.forEach((name, bytes) -> assertEquals(contentsOf(out.resolve(name)), bytes, name + " after " + options));
    }
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "1", "--out", out.toString(), "--overwrite"}), 0);
  }

  /**
   * On --resume: --compare and another --seed are refused with the folder unchanged (the compared
   * methods would start again and replace their results; the seed chose the data); --lr is the rate
   * from then on; --time-limit counts this invocation's training only.
   */
  @Test
  public void resumeTakesANewRateAndTimeLimitAndRefusesCompareAndSeed() throws IOException {
    Path out = Files.createTempDirectory("resume").resolve("run");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "4", "--compare", "beuler", "--out", out.toString()}), 0);
    String checkpoint = out.resolve("checkpoint.bin").toString();
    Map<String, byte[]> finished = contents(out);
    for (List<String> options : List.of(List.of("--compare", "beuler"), List.of("--seed", "12345"))) {
      String[] args = Stream.concat(Stream.of("train", "rober", "--epochs", "1", "--resume", checkpoint), options.stream())
          .toArray(String[]::new);
      String err = stderrOf(() -> assertEquals(Main.run(args), 2, "exit code for " + options));
      assertTrue(err.contains(options.getFirst()), err);
      assertEquals(contents(out).keySet(), finished.keySet(), "files after " + options);
      finished.forEach((name, bytes) -> assertEquals(contentsOf(out.resolve(name)), bytes, name + " after " + options));
    }
    List<String> before = Files.readAllLines(out.resolve("loss.csv"));
    double secondsBefore = Double.parseDouble(before.getLast().split(",")[1]);
    // three quarters of the 4 epochs' time: the earlier run's total would stop the resumed one after its first epoch
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "2", "--resume", checkpoint, "--lr", "0.0042",
        "--time-limit", String.valueOf(0.75 * secondsBefore)}), 0);
    List<String> rows = Files.readAllLines(out.resolve("loss.csv"));
    assertEquals(rows.size(), before.size() + 2, "two more epochs within the time limit: " + rows);
    for (String row : rows.subList(before.size(), rows.size())) {
      assertEquals(Double.parseDouble(row.split(",")[4]), 0.0042, 1e-12, "the new learning rate: " + row);
    }
    assertEquals(contentsOf(out.resolve("loss-beuler.csv")), finished.get("loss-beuler.csv"), "the compared method's history");
  }

  /**
   * --overwrite writes beside the folder and replaces it only at the end: a run that fails midway (its
   * compared method has no TS type) leaves the finished run's files as they were; one that finishes leaves
   * its own results and no stale ones of the old run (here a compared method's), and keeps the
   * user's own files.
   */
  @Test
  public void overwriteReplacesTheResultsOnlyWhenTheRunHasFinished() throws IOException {
    Path out = Files.createTempDirectory("overwrite").resolve("run");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "1", "--compare", "beuler", "--out", out.toString()}), 0);
    Files.writeString(out.resolve("notes.txt"), "the user's own");
    Map<String, byte[]> finished = contents(out);
    Path staging = out.resolveSibling("run.overwriting");
    String err = stderrOf(() -> assertTrue(Main.run(new String[] {"train", "rober", "--epochs", "1", "--compare", "ts:nosuch",
        "--out", out.toString(), "--overwrite"}) != 0, "the compared method fails: no such TS type"));
    assertTrue(err.contains("is as it was"), err);
    assertEquals(contents(out).keySet(), finished.keySet());
    finished.forEach((name, bytes) -> assertEquals(contentsOf(out.resolve(name)), bytes, name));
    assertTrue(Files.exists(staging.resolve("model.npy")), "the failed run's own files stay beside it");

    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "2", "--out", out.toString(), "--overwrite"}), 0);
    assertEquals(Files.readAllLines(out.resolve("loss.csv")).size(), 3, "header and the new run's 2 epochs");
    assertFalse(Files.exists(out.resolve("loss-beuler.csv")), "the old run's compared method is gone");
    assertEquals(Files.readString(out.resolve("notes.txt")), "the user's own");
    assertFalse(Files.exists(out.resolve(RunFolder.MARKER)));
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertEquals(siblings.map(p -> p.getFileName().toString()).sorted().toList(), List.of("run", "run.overwriting"),
          "no second staging folder, no replaced folder left");
    }
  }

  @Test
  public void theSummarySaysWhenTheTargetWasReached() throws IOException {
    Path out = Files.createTempDirectory("target").resolve("run");
    PrintStream saved = System.out;
    var bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "5", "--target-loss", "10", "--out", out.toString()}), 0);
    } finally {
      System.setOut(saved);
    }
    String summary = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(summary.contains("target 1.0e+01 first reached at epoch 1 ("), summary);
    assertEquals(Files.readAllLines(out.resolve("loss.csv")).size(), 2, "stopped at the target");
  }

  @Test
  public void unknownProblemNamesEveryKnownOne() {
    String err = stderrOf(() -> assertEquals(Main.run(new String[] {"train", "heat"}), 2));
    for (String p : RunOptions.knownProblems()) {
      assertTrue(err.contains(p), p + " in: " + err);
    }
    assertTrue(err.contains("grand"), err);
  }

  @Test
  public void badInputExitsNonZero() throws IOException {
    assertEquals(Main.run(new String[] {"train", "no-such-problem"}), 2);
    assertEquals(Main.run(new String[] {"train", "kse", "--grid", "100"}), 2);
    Path file = Files.createTempFile("not", "a-folder");
    assertTrue(Main.run(new String[] {"train", "rober", "--epochs", "1", "--out", file.resolve("x").toString()}) != 0);
    Path unwritten = Files.createTempDirectory("train").resolve("run");
    for (String bad : new String[] {"stride:0", "stride:k", "revolve", "disk:" + file}) {
      String err = stderrOf(() -> assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "1", "--checkpointing", bad,
          "--out", unwritten.toString()}), 2, bad));
      assertTrue(err.contains("auto, memory, stride:K"), err);
      assertFalse(Files.exists(unwritten), "--checkpointing " + bad + " is refused before anything is written");
    }
  }

  static String stderrOf(Runnable r) {
    PrintStream saved = System.err;
    var bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, byte[]> contents(Path folder) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static byte[] contentsOf(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

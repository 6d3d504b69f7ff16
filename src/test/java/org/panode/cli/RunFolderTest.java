package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** Without --out each run gets a new folder; an explicit one that holds files needs --overwrite or --resume. */
public class RunFolderTest {
  @Test
  public void defaultFoldersAreNumberedPastUsedOnes() throws IOException {
    Path runs = Files.createTempDirectory("runs");
    Path standard = runs.resolve("kse64-imex-rk2");
    assertEquals(RunFolder.choose(null, standard, false, null), standard);
    Files.createDirectories(standard);
    assertEquals(RunFolder.choose(null, standard, false, null), standard, "an empty folder is free");
    Files.writeString(standard.resolve("loss.csv"), "x");
    assertEquals(RunFolder.choose(null, standard, false, null), runs.resolve("kse64-imex-rk2-2"));
    Files.createDirectories(runs.resolve("kse64-imex-rk2-2"));
    Files.writeString(runs.resolve("kse64-imex-rk2-2").resolve("loss.csv"), "x");
    assertEquals(RunFolder.choose(null, standard, false, null), runs.resolve("kse64-imex-rk2-3"));
  }

  @Test
  public void anExplicitUsedFolderIsRefusedUnlessOverwrittenOrResumed() throws IOException {
    Path used = Files.createTempDirectory("used");
    Files.writeString(used.resolve("loss.csv"), "x");
    assertThrows(IllegalArgumentException.class, () -> RunFolder.choose(used, used, false, null));
    assertEquals(RunFolder.choose(used, used, true, null), used);
    assertEquals(RunFolder.choose(used, used, false, used), used);
    assertEquals(RunFolder.choose(null, Path.of("runs", "x"), false, used), used, "a resumed run continues in its folder");
    Path file = Files.createTempFile("a", "file");
    assertThrows(IllegalArgumentException.class, () -> RunFolder.choose(file, file, true, null));
    assertThrows(IllegalArgumentException.class, () -> RunFolder.choose(file.resolve("below"), file, true, null));
  }

  /** A run started while another writes into the default folder takes the next one; an explicit --out is refused. */
  @Test
  public void aFolderClaimedByARunningRunIsNotShared() throws Exception {
    Path runs = Files.createTempDirectory("runs");
    Path standard = runs.resolve("kse64-imex-rk2");
    assertEquals(RunFolder.chooseAndClaim(null, standard, false, null), standard);
    assertTrue(Files.exists(standard.resolve(RunFolder.MARKER)));
    assertEquals(RunFolder.chooseAndClaim(null, standard, false, null), runs.resolve("kse64-imex-rk2-2"),
        "the first run has written nothing yet, but it holds the folder");
    var e = expectThrows(IllegalArgumentException.class, () -> RunFolder.chooseAndClaim(standard, standard, true, null));
    assertTrue(e.getMessage().contains("another run is writing into"), e.getMessage());
    Files.writeString(standard.resolve("loss.csv"), "x");
    RunFolder.release(standard);
    RunFolder.release(runs.resolve("kse64-imex-rk2-2"));
    assertEquals(Files.readString(standard.resolve("loss.csv")), "x", "a run's files stay after its end");
    assertFalse(Files.exists(standard.resolve(RunFolder.MARKER)), "the marker goes at the end");
    assertFalse(Files.exists(runs.resolve("kse64-imex-rk2-2")), "a folder made for a run that wrote nothing goes");
    Path given = Files.createDirectory(runs.resolve("given"));
    RunFolder.chooseAndClaim(given, standard, false, null);
    RunFolder.release(given);
    assertTrue(Files.isDirectory(given), "an empty folder the user made stays");
  }

  /** The same across processes: the claim is a lock the system drops when its process dies, however it dies. */
  @Test(timeOut = 60_000)
  public void anotherProcesssClaimHoldsUntilItDies() throws Exception {
    Path runs = Files.createTempDirectory("runs");
    Path standard = runs.resolve("burgers512-imex-rk2");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldRunFolder.class.getName(),
        standard.toString()).redirectErrorStream(true).start();
    try {
      String said = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine();
      assertEquals(said, "held");
      assertFalse(RunFolder.claim(standard), "the other process holds it");
      var e = expectThrows(IllegalArgumentException.class, () -> RunFolder.chooseAndClaim(null, Path.of("x"), false, standard));
      assertTrue(e.getMessage().contains("another run is writing into"), "no resume while the run goes on: " + e.getMessage());
      assertEquals(RunFolder.chooseAndClaim(null, standard, false, null), runs.resolve("burgers512-imex-rk2-2"));
      RunFolder.release(runs.resolve("burgers512-imex-rk2-2"));
    } finally {
      other.destroyForcibly().waitFor();
    }
    assertTrue(Files.exists(standard.resolve(RunFolder.MARKER)), "a killed run leaves its marker");
    assertEquals(RunFolder.chooseAndClaim(null, standard, false, null), standard, "a killed run's marker alone does not hold");
    RunFolder.release(standard);
  }

  @Test
  public void checkpointSchedules() {
    assertEquals(CheckpointSchedule.parse("1").due(7, 0, 1), true);
    assertEquals(CheckpointSchedule.parse("5").due(7, 1e9, 0), false);
    assertEquals(CheckpointSchedule.parse("5").due(10, 0, 1), true);
    assertEquals(CheckpointSchedule.parse("5m").due(3, 299, 0), false);
    assertEquals(CheckpointSchedule.parse("5m").due(3, 300, 0), true);
    CheckpointSchedule auto = CheckpointSchedule.parse(CheckpointSchedule.DEFAULT);
    assertEquals(auto.due(1, 0.001, 0), true, "the first epoch is always written");
    assertEquals(auto.due(2, 0.19, 0.03), false, "a 30 ms write after a 0.19 s epoch would cost 14 %");
    assertEquals(auto.due(9, 1.5, 0.03), true);
    assertEquals(auto.due(2, 0.3, 0.001), true, "ROBER: every epoch");
    assertEquals(CheckpointSchedule.parse("90s").seconds(), 90.0);
    assertEquals(CheckpointSchedule.parse("1h").seconds(), 3600.0);
    for (String bad : new String[] {"0", "-1", "soon", "0s", "-5m", "", "1.5"}) {
      assertThrows(IllegalArgumentException.class, () -> CheckpointSchedule.parse(bad));
    }
  }
}

package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;

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

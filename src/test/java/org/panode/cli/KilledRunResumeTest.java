package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A run whose JVM is killed (SIGKILL, at whatever point of an epoch it is) resumes from its last
 * complete checkpoint with {@code --resume FOLDER}, and its loss curve (every loss.csv column
 * but the wall time) is then the uninterrupted run's.
 */
public class KilledRunResumeTest {
  private static final int EPOCHS = 30;

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void aKilledRunResumesToTheUninterruptedLossCurve() throws Exception {
    Path base = Files.createTempDirectory("killed");
    Path whole = base.resolve("whole"), killed = base.resolve("killed");
    assertEquals(Main.run(new String[] {"train", "rober", "--epochs", "" + EPOCHS, "--out", whole.toString()}), 0);

    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "rober", "--epochs", "" + EPOCHS,
        "--out", killed.toString()).redirectErrorStream(true).redirectOutput(base.resolve("child.log").toFile()).start();
    Path checkpoint = killed.resolve(RunCheckpoint.FILE);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (epochsIn(checkpoint) < 3 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(child.isAlive(), "the child run ended before it was killed: " + Files.readString(base.resolve("child.log")));
    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no final writes
    child.waitFor();
    int done = epochsIn(checkpoint);
    assertTrue(done >= 3 && done < EPOCHS, "killed after epoch " + done);
    assertTrue(!Files.exists(killed.resolve("model.npy")), "the killed run never finished");

    assertEquals(Main.run(new String[] {"train", "rober", "--resume", killed.toString()}), 0);
    assertEquals(curve(killed), curve(whole), "resumed after epoch " + done);
  }

  private static int epochsIn(Path checkpoint) throws IOException {
    return Files.exists(checkpoint) ? RunCheckpoint.read(checkpoint).training().epoch() : 0;
  }

  /** loss.csv without the wall-time column. */
  private static List<String> curve(Path run) throws IOException {
    return Files.readAllLines(run.resolve("loss.csv")).stream().map(line -> line.replaceFirst("^([^,]*),[^,]*,", "$1,")).toList();
  }
}

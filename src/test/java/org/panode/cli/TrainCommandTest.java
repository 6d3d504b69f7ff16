package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * ./panode train end to end on ROBER (its data takes a second): --compare writes one CSV per method
 * and the shared chart, --resume continues the epoch count, bad input exits non-zero, and a command
 * leaves a PETSc it did not start running.
 */
public class TrainCommandTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void compareResumeAndOutputs() throws IOException {
    Path out = Files.createTempDirectory("train");
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
    assertEquals(rows.size(), 2);
    assertTrue(rows.get(1).startsWith("3,"), "the resumed run's first epoch is epoch 3: " + rows.get(1));
  }

  @Test
  public void badInputExitsNonZero() throws IOException {
    assertEquals(Main.run(new String[] {"train", "no-such-problem"}), 2);
    assertEquals(Main.run(new String[] {"train", "kse", "--grid", "100"}), 2);
    Path file = Files.createTempFile("not", "a-folder");
    assertTrue(Main.run(new String[] {"train", "rober", "--epochs", "1", "--out", file.resolve("x").toString()}) != 0);
    Path foreign = Files.createTempFile("foreign", ".bin");
    Files.writeString(foreign, "not a checkpoint");
    assertTrue(Main.run(new String[] {"train", "rober", "--epochs", "1", "--resume", foreign.toString(), "--out",
        Files.createTempDirectory("bad").toString()}) != 0);
  }
}

package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code ./panode train P} works for every problem the command knows with its defaults (only the
 * epochs cut to one and the folder a temporary one): the README's commands, grand included.
 */
public class EveryProblemTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @DataProvider
  Object[][] problems() {
    return RunOptions.knownProblems().stream().map(p -> new Object[] {p}).toArray(Object[][]::new);
  }

  @Test(dataProvider = "problems")
  public void trainsOneEpochWithItsDefaults(String problem) throws IOException {
    if (problem.equals(GrandTrain.PROBLEM)) {
      try {
        org.panode.data.CitationGraph.locate("cora.npz");
      } catch (java.nio.file.NoSuchFileException e) {
        throw new org.testng.SkipException("no Cora file: " + e.getMessage());
      }
    }
    Path out = Files.createTempDirectory("every").resolve(problem);
    assertEquals(Main.run(new String[] {"train", problem, "--epochs", "1", "--out", out.toString()}), 0, problem);
    String table = problem.equals(GrandTrain.PROBLEM) ? "accuracy.csv" : "loss.csv";
    assertEquals(Files.readAllLines(out.resolve(table)).size(), 2, problem + ": header + 1 epoch");
    assertTrue(Files.size(out.resolve(problem.equals(GrandTrain.PROBLEM) ? "accuracy.png" : "loss.png")) > 0, problem);
  }

  /**
   * nfe takes a problem's PETSc defaults as train does (pollu-baseline's first epoch needs more Newton
   * iterations than PETSc's 50); eval names a missing model file before loading anything; grand is
   * train's only.
   */
  @Test
  public void theOtherCommandsTakeTheProblemsDefaultsAndSayWhatIsWrong() {
    assertEquals(Main.run(new String[] {"nfe", "pollu-baseline"}), 0, "nfe pollu-baseline");
    String err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"eval", "kse", "--model", "runs/typo/model.npy"}), 2));
    assertTrue(err.contains("--model runs/typo/model.npy: no such file"), err);
    err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"nfe", "grand"}), 2));
    assertTrue(err.contains("runs with train only"), err);
  }
}

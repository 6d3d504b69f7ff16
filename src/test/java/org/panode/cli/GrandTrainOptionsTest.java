package org.panode.cli;

import static org.testng.Assert.assertEquals;

import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** ./panode train grand refuses options that do not apply, before loading data or starting PETSc. */
public class GrandTrainOptionsTest {
  /**
   * The test JVM's one PETSc session, as in the other CLI tests: without it, the first Main.run of
   * this class would start and finalise PETSc, and no later test in the JVM could start it again.
   */
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void badOptionsExitWithUsageErrors() {
    assertEquals(Main.run(new String[] {"train", "grand", "--grid", "64"}), 2);
    assertEquals(Main.run(new String[] {"train", "grand", "--batch", "8"}), 2);
    assertEquals(Main.run(new String[] {"train", "grand", "--optimizer", "adam"}), 2);
    assertEquals(Main.run(new String[] {"train", "grand", "--method", "no-such-method"}), 2);
  }

  @Test
  public void stepDefaultsFollowThePaper() {
    assertEquals(GrandTrain.defaultStep("imex-rk2"), 1.0);
    assertEquals(GrandTrain.defaultStep("cn"), 1.0);
    assertEquals(GrandTrain.defaultStep("rk4"), 0.005);
  }
}

package org.panode.cli;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** ./panode train grand refuses options that do not apply, before loading data or starting PETSc. */
public class GrandTrainOptionsTest {
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

package org.panode.petsc;

import org.panode.ode.Checkpointing;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Full storage, stride checkpointing and disk storage give the same gradient. */
public class CheckpointingTest {
  private static final SplitLinearProblem.Method L2 = new SplitLinearProblem.Method("arkimex", "l2");

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  @Test
  public void storageSchemesGiveTheSameGradient() throws Exception {
    var memory = ParameterProblem.run(L2, AdjointGradientTest.U0, AdjointGradientTest.P, true, Checkpointing.memory());
    var stride = ParameterProblem.run(L2, AdjointGradientTest.U0, AdjointGradientTest.P, true, Checkpointing.stride(4));
    Path dir = Files.createTempDirectory("panode-trajectory").resolve("steps"); // PETSc creates it
    var disk = ParameterProblem.run(L2, AdjointGradientTest.U0, AdjointGradientTest.P, true, Checkpointing.disk(dir));
    for (var other : new ParameterProblem.Result[] {stride, disk}) {
      for (int i = 0; i < memory.dCostDu0().length; i++) {
        assertEquals(other.dCostDu0()[i], memory.dCostDu0()[i], 1e-12 * Math.abs(memory.dCostDu0()[i]));
      }
      for (int i = 0; i < memory.dCostDp().length; i++) {
        assertEquals(other.dCostDp()[i], memory.dCostDp()[i], 1e-12 * Math.abs(memory.dCostDp()[i]));
      }
    }
  }

  @Test
  public void tooFewRamCheckpointsWithoutRevolveSaysWhatToUse() {
    var e = expectThrows(PetscException.class, () ->
        ParameterProblem.run(L2, AdjointGradientTest.U0, AdjointGradientTest.P, true, Checkpointing.ramCheckpoints(3)));
    assertTrue(e.getMessage().contains("revolve"), e.getMessage());
    assertTrue(e.getMessage().contains("Checkpointing.stride"), e.getMessage());
  }
}

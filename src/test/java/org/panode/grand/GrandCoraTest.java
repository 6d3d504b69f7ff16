package org.panode.grand;

import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.panode.data.CitationGraph;
import org.panode.data.NodeSplit;
import org.panode.petsc.PetscSession;
import org.testng.SkipException;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * GRAND on Cora with GRAND's settings, imex-rk2 at step 1 to T = 18.29, 100 epochs, reaches a
 * test accuracy of at least 80 % (at the epoch of best validation accuracy, GRAND's protocol) on the
 * seeded Planetoid-style split.
 */
public class GrandCoraTest {
  static final int EPOCHS = Integer.getInteger("grand.epochs", 100);

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  static CitationGraph cora() throws IOException {
    Path file;
    try {
      file = CitationGraph.locate("cora.npz");
    } catch (NoSuchFileException e) {
      throw new SkipException("no Cora file: " + e.getMessage());
    }
    return CitationGraph.read(file);
  }

  @Test(groups = "slow")
  public void imexRk2ReachesEightyPercent() throws IOException {
    var graph = cora();
    var split = NodeSplit.planetoid(graph.labels(), graph.classes(), 1);
    var config = GrandConfig.cora().withRun("imex-rk2", 1.0, EPOCHS, GrandConfig.cora().learningRate(), 1);
    long began = System.nanoTime();
    try (var training = new GrandTraining(graph, split, config)) {
      GrandTraining.Epoch last = null;
      for (int e = 0; e < config.epochs(); e++) {
        last = training.epoch();
        System.out.printf(Locale.ROOT, "epoch %3d  %6.1f s  loss %.4f  train %.3f  val %.3f  test %.3f  rate %.3f  NFE %d%n",
            last.epoch(), last.seconds(), last.loss(), last.trainAccuracy(), last.validationAccuracy(), last.testAccuracy(),
            last.diffusionRate(), last.costs().nfe());
      }
      var best = training.bestValidation();
      System.out.printf(Locale.ROOT, "GRAND Cora imex-rk2 step 1: final test %.4f, best val %.4f at epoch %d with test %.4f;"
          + " %.1f s training, %.1f s in all, NFE per epoch %d%n", last.testAccuracy(), best.validationAccuracy(),
          best.epoch(), best.testAccuracy(), last.seconds(), (System.nanoTime() - began) / 1e9, last.costs().nfe());
      assertTrue(best.testAccuracy() >= 0.80, "test accuracy " + best.testAccuracy());
    }
  }
}

package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.panode.data.CitationGraph;
import org.panode.data.NamedArrays;
import org.panode.data.NdArray;
import org.panode.data.Npz;
import org.panode.petsc.PetscSession;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * {@code train grand --graph}: unknown names list the known ones, and any graph in the gnn-benchmark
 * layout trains by path, split by the Planetoid rule for its class count (here Cora relabelled into
 * 3 classes: 60 training nodes).
 */
public class GrandGraphTest {
  @Test
  public void unknownGraphsNameTheKnownOnes() {
    String err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"train", "grand", "--graph", "karate"}), 2));
    assertTrue(err.contains("cora, citeseer, pubmed") && err.contains("path"), err);
    err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"train", "grand", "--graph", "/no/such.npz"}), 2));
    assertTrue(err.contains("no such file"), err);
    err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"train", "rober", "--graph", "cora"}), 2));
    assertTrue(err.contains("--graph is for grand"), err);
  }

  @Test
  public void aGraphByPathTrainsWithThePlanetoidSplitOfItsClassCount() throws IOException {
    Path cora;
    try {
      cora = CitationGraph.locate("cora.npz");
    } catch (NoSuchFileException e) {
      throw new SkipException("no Cora file: " + e.getMessage());
    }
    var arrays = new LinkedHashMap<>(Npz.read(cora).arrays());
    long[] labels = ((NdArray.Longs) arrays.get("labels")).data().clone();
    for (int i = 0; i < labels.length; i++) {
      labels[i] %= 3;
    }
    arrays.put("labels", new NdArray.Longs(new int[] {labels.length}, labels));
    arrays.remove("class_names");
    Path file = Files.createTempDirectory("graphs").resolve("cora3.npz");
    Npz.write(file, new NamedArrays(arrays), false);
    PetscSession.get();
    Path out = Files.createTempDirectory("grand").resolve("run");
    String err = TrainCommandTest.stderrOf(() -> assertEquals(Main.run(new String[] {"train", "grand", "--graph", file.toString(),
        "--epochs", "1", "--out", out.toString()}), 0));
    assertTrue(err.contains("GRAND on cora3") && err.contains("3 classes") && err.contains("60 train, 500 val, 1000 test"), err);
    assertEquals(Files.readAllLines(out.resolve("accuracy.csv")).size(), 2);
  }
}

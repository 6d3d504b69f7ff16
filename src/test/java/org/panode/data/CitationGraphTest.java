package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.testng.SkipException;
import org.testng.annotations.Test;

/** The gnn-benchmark graph layout: a tiny fixture exactly, Cora's shapes and labels, the seeded split, bad files. */
public class CitationGraphTest {
  private static final Path NUMPY = Path.of("test-data", "numpy");

  @Test
  public void tinyGraph() throws IOException {
    var g = CitationGraph.read(NUMPY.resolve("tiny-graph.npz"));
    assertEquals(g.nodes(), 5);
    assertEquals(g.featureCount(), 4);
    assertEquals(g.classes(), 3);
    assertEquals(g.labels(), new int[] {0, 1, 2, 1, 0});
    assertEquals(g.classNames(), new String[] {"x", "y", "z"});
    assertEquals(Arrays.copyOfRange(g.features(), 12, 16), new double[] {1, 0, 0.5, 0});
    // 0->1, 1->2, 3->1 made undirected; the self-loop 4->4 dropped.
    assertEquals(g.source(), new int[] {0, 1, 1, 1, 2, 3});
    assertEquals(g.target(), new int[] {1, 0, 2, 3, 1, 1});
    int[][] loops = g.withSelfLoops();
    assertEquals(loops[0].length, 11);
    assertEquals(Arrays.copyOfRange(loops[1], 6, 11), new int[] {0, 1, 2, 3, 4});
  }

  @Test
  public void cora() throws IOException {
    Path file;
    try {
      file = CitationGraph.locate("cora.npz");
    } catch (NoSuchFileException e) {
      throw new SkipException("no Cora file: " + e.getMessage());
    }
    var g = CitationGraph.read(file);
    assertEquals(g.nodes(), 2708);
    assertEquals(g.featureCount(), 1433);
    assertEquals(g.classes(), 7);
    assertEquals(g.classNames()[2], "Neural_Networks");
    assertEquals(g.classCounts(), new int[] {298, 418, 818, 426, 217, 180, 351});
    assertEquals(Arrays.stream(g.features()).sum(), 49216.0); // binary bag of words
    // Undirected, no self-loops, no duplicates: 5278 links, each both ways.
    assertEquals(g.edges(), 10556);
    Set<Long> edges = new HashSet<>();
    for (int e = 0; e < g.edges(); e++) {
      assertTrue(g.source()[e] != g.target()[e]);
      edges.add((long) g.source()[e] * g.nodes() + g.target()[e]);
    }
    assertEquals(edges.size(), g.edges());
    for (int e = 0; e < g.edges(); e++) {
      assertTrue(edges.contains((long) g.target()[e] * g.nodes() + g.source()[e]));
    }
    var split = NodeSplit.planetoid(g.labels(), g.classes(), 7);
    assertEquals(split.train().length, 140);
    assertEquals(split.validation().length, 500);
    assertEquals(split.test().length, 1000);
    int[] perClass = new int[7];
    for (int node : split.train()) {
      perClass[g.labels()[node]]++;
    }
    assertEquals(perClass, new int[] {20, 20, 20, 20, 20, 20, 20});
    Set<Integer> all = new HashSet<>();
    for (int[] part : new int[][] {split.train(), split.validation(), split.test()}) {
      for (int node : part) {
        assertTrue(all.add(node), "node " + node + " in two parts");
      }
    }
    assertEquals(NodeSplit.planetoid(g.labels(), g.classes(), 7).test(), split.test());
    assertTrue(!Arrays.equals(NodeSplit.planetoid(g.labels(), g.classes(), 8).test(), split.test()));
  }

  @Test
  public void badFiles() throws IOException {
    var missing = expectThrows(NoSuchFileException.class, () -> CitationGraph.read(NUMPY.resolve("no-such-graph.npz")));
    assertTrue(missing.getMessage().contains("no-such-graph.npz"), missing.getMessage());
    var noLabels = expectThrows(IllegalArgumentException.class, () -> CitationGraph.read(NUMPY.resolve("mixed.npz")));
    assertTrue(noLabels.getMessage().contains("no array 'adj_shape'"), noLabels.getMessage());
    var tiny = Npz.read(NUMPY.resolve("tiny-graph.npz"));
    var arrays = new java.util.LinkedHashMap<>(tiny.arrays());
    arrays.put("labels", new NdArray.Longs(new int[] {4}, new long[] {0, 1, 2, 1}));
    Path bad = Files.createTempDirectory("graph").resolve("bad.npz");
    Npz.write(bad, new NamedArrays(arrays), false);
    var e = expectThrows(IllegalArgumentException.class, () -> CitationGraph.read(bad));
    assertTrue(e.getMessage().contains("labels has 4 entries for 5 nodes"), e.getMessage());
    arrays.put("labels", tiny.get("labels"));
    arrays.put("adj_indices", new NdArray.Longs(new int[] {4}, new long[] {1, 2, 9, 4}));
    Npz.write(bad, new NamedArrays(arrays), false);
    e = expectThrows(IllegalArgumentException.class, () -> CitationGraph.read(bad));
    assertTrue(e.getMessage().contains("adj_indices[2] = 9 is outside 0..4"), e.getMessage());
    var small = expectThrows(IllegalArgumentException.class, () -> NodeSplit.planetoid(new int[] {0, 1, 1}, 2, 2, 0, 1, 1));
    assertTrue(small.getMessage().contains("class 0 has 1 nodes"), small.getMessage());
  }
}

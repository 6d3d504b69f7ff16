package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Every layer alone, as a one-layer network: JVP and VJPs against finite differences, batch and vjpBoth consistency. */
public class LayerGradientTest {
  private static final int D = 12;
  private static final int BATCH = 3;

  @DataProvider
  public Object[][] layers() {
    int[][] graph = Graphs.ringWithExtras(5);
    return new Object[][] {
      {"Dense", new Dense(D, D, 0.4), 0.0},
      {"ReLU", new ReLU(D), 0.05},
      {"Tanh", new Tanh(D), 0.0},
      {"GELU", new GELU(D), 0.0},
      {"Identity", new Identity(D), 0.0},
      {"CircularConv1d fixed k=5", new CircularConv1d(D, new double[] {-1, 4, -6, 4, -1}, false), 0.0},
      {"CircularConv1d learnable k=3", new CircularConv1d(D, new double[] {1, -2, 1}, true), 0.0},
      {"GraphAttentionDiffusion 5x3, 2 heads", new GraphAttentionDiffusion(5, 3, graph[0], graph[1], 2, 2, 0.5), 0.0},
    };
  }

  /** margin > 0 keeps the inputs that far from 0 (ReLU's kink). */
  @Test(dataProvider = "layers")
  public void matchesFiniteDifferences(String name, Layer layer, double margin) {
    Random random = new Random(name.hashCode());
    Network network = new Network(7, List.of(layer));
    TermChecks.randomizeParameters(network, random, 0.5);
    try (Arena arena = Arena.ofConfined()) {
      long n = (long) BATCH * network.dimension();
      MemorySegment u = margin > 0 ? TermChecks.awayFromZero(arena, n, random, margin) : TermChecks.gaussian(arena, n, random, 1);
      TermChecks.check("layer " + name, network, u, BATCH, random);
    }
  }
}

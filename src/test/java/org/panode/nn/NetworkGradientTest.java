package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Whole networks against finite differences of their value, with batch and vjpBoth consistency. */
public class NetworkGradientTest {
  private static final int BATCH = 3;

  @DataProvider
  public Object[][] networks() {
    int[][] graph = Graphs.ringWithExtras(6);
    return new Object[][] {
      {"MLP 16-64-64-16 ReLU", Network.mlp(16, new int[] {64, 64}, 16, Activation.RELU, 1, 0.3)},
      {"MLP 16-64-64-16 tanh", Network.mlp(16, new int[] {64, 64}, 16, Activation.TANH, 2, 0.3)},
      {"MLP 16-64-64-16 GELU", Network.mlp(16, new int[] {64, 64}, 16, Activation.GELU, 3, 0.3)},
      {"conv k=5 fixed + MLP tanh", new Network(4, List.of(new CircularConv1d(16, new double[] {-1, 4, -6, 4, -1}, false),
          new Tanh(16), new Dense(16, 32, 0.3), new Tanh(32), new Dense(32, 16, 0.3)))},
      {"conv k=3 learnable + MLP GELU", new Network(5, List.of(new Dense(16, 16, 0.3), new GELU(16),
          new CircularConv1d(16, new double[] {1, -2, 1}, true), new Tanh(16), new Dense(16, 16, 0.3)))},
      {"GAT diffusion + tanh + GAT", new Network(6, List.of(new GraphAttentionDiffusion(6, 4, graph[0], graph[1], 3, 2, 0.5),
          new Tanh(24), new GraphAttentionDiffusion(6, 4, graph[0], graph[1], 1, 4, 0.5)))},
    };
  }

  @Test(dataProvider = "networks")
  public void matchesFiniteDifferences(String name, Network network) {
    Random random = new Random(name.hashCode());
    // Random biases too (they start at zero), so that every parameter matters.
    TermChecks.randomizeParameters(network, random, 0.3);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u = TermChecks.gaussian(arena, (long) BATCH * network.dimension(), random, 1);
      TermChecks.check(name, network, u, BATCH, random);
    }
  }
}

package org.panode.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** Parameter aliasing, segment kinds, buffers per batch size and bad input. */
public class NetworkTest {
  private static final MemorySegment NONE = MemorySegment.NULL;

  @Test
  public void mlpHasTheLayersAndParameterCount() {
    Network net = Network.mlp(64, new int[] {200, 200, 200, 200}, 64, Activation.RELU, 1, 0.1);
    assertEquals(net.layers().size(), 9);
    assertEquals(net.dimension(), 64);
    assertEquals(net.parameterCount(), 64 * 200 + 200 + 3 * (200 * 200 + 200) + 200 * 64 + 64);
    assertEquals(net.parameterOffset(2), 64 * 200 + 200);
  }

  @Test
  public void initializationIsSeededGaussianWeightsAndZeroBiases() {
    Network a = Network.mlp(16, new int[] {400}, 16, Activation.TANH, 9, 0.5);
    Network b = Network.mlp(16, new int[] {400}, 16, Activation.TANH, 9, 0.5);
    assertEquals(a.parameters().mismatch(b.parameters()), -1L);
    double sum = 0, squares = 0;
    int weights = 16 * 400;
    for (int i = 0; i < weights; i++) {
      double w = a.parameters().getAtIndex(TermChecks.D, i);
      sum += w;
      squares += w * w;
    }
    assertEquals(sum / weights, 0, 0.02);
    assertEquals(Math.sqrt(squares / weights), 0.5, 0.02);
    for (int i = weights; i < weights + 400; i++) {
      assertEquals(a.parameters().getAtIndex(TermChecks.D, i), 0.0);
    }
  }

  @Test
  public void parametersAreTheBufferTheLayersRead() {
    Network net = Network.mlp(8, new int[] {16}, 8, Activation.TANH, 3, 0.5);
    assertSame(net.parameters(), net.parameters());
    assertTrue(net.parameters().isNative());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u = TermChecks.gaussian(arena, 16, new Random(1), 1);
      MemorySegment before = arena.allocate(8 * 16), after = arena.allocate(8 * 16);
      net.value(0, u, 2, before);
      // The last layer's bias: writing it shifts that output of every sample by exactly the change.
      long bias = net.parameterOffset(2) + 8 * 16 + 3;
      net.parameters().setAtIndex(TermChecks.D, bias, 0.25);
      net.value(0, u, 2, after);
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < 8; i++) {
          double shift = after.getAtIndex(TermChecks.D, s * 8 + i) - before.getAtIndex(TermChecks.D, s * 8 + i);
          assertEquals(shift, i == 3 ? 0.25 : 0.0, 1e-15);
        }
      }
    }
  }

  @Test
  public void heapSegmentsGiveTheSameResultsAsNativeOnes() {
    Network net = Network.mlp(8, new int[] {16, 16}, 8, Activation.GELU, 4, 0.5);
    int batch = 3, n = 24, p = net.parameterCount();
    try (Arena arena = Arena.ofConfined()) {
      Random random = new Random(2);
      MemorySegment u = TermChecks.gaussian(arena, n, random, 1), w = TermChecks.gaussian(arena, n, random, 1);
      MemorySegment out = arena.allocate(8 * n), gradient = arena.allocate(8L * p);
      MemorySegment heapOut = MemorySegment.ofArray(new double[n]), heapGradient = MemorySegment.ofArray(new double[p]);
      MemorySegment heapU = MemorySegment.ofArray(u.toArray(TermChecks.D)), heapW = MemorySegment.ofArray(w.toArray(TermChecks.D));
      net.vjpBoth(0, u, w, batch, out, gradient);
      net.vjpBoth(0, heapU, heapW, batch, heapOut, heapGradient);
      assertEquals(out.mismatch(heapOut), -1L);
      assertEquals(gradient.mismatch(heapGradient), -1L);
    }
  }

  @Test
  public void alternatingBatchSizesKeepTheirResults() {
    Network net = Network.mlp(8, new int[] {32}, 8, Activation.RELU, 5, 0.5);
    try (Arena arena = Arena.ofConfined()) {
      Random random = new Random(3);
      MemorySegment u = TermChecks.gaussian(arena, 8 * 10, random, 1);
      MemorySegment first = arena.allocate(8 * 80), again = arena.allocate(8 * 80), other = arena.allocate(8 * 80);
      net.value(0, u, 10, first);
      for (int batch = 1; batch <= 10; batch++) {
        net.value(0, u, batch, other);
      }
      net.value(0, u, 10, again);
      assertEquals(first.mismatch(again), -1L);
    }
  }

  @Test
  public void wrongSizesAreRejectedWithTheirNumbers() {
    Network net = Network.mlp(8, new int[] {16}, 8, Activation.TANH, 3, 0.5);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment small = arena.allocate(8 * 15), ok = arena.allocate(8 * 16), gradient = arena.allocate(8L * net.parameterCount());
      assertMessage(() -> net.value(0, small, 2, ok), "u holds 15 doubles; a batch of 2 states of dimension 8 needs 16");
      assertMessage(() -> net.value(0, ok, 2, small), "out holds 15 doubles");
      assertMessage(() -> net.jvp(0, ok, small, 2, ok), "v holds 15 doubles");
      assertMessage(() -> net.vjp(0, ok, small, 2, ok), "w holds 15 doubles");
      assertMessage(() -> net.value(0, ok, 0, ok), "batch size must be positive, got 0");
      assertMessage(() -> net.vjpParameters(0, ok, ok, 2, small),
          "gradient holds 15 doubles; the network has " + net.parameterCount() + " parameters");
      assertMessage(() -> net.vjpBoth(0, ok, ok, 2, small, gradient), "out holds 15 doubles");
      assertMessage(() -> net.vjpBoth(0, ok, ok, 2, ok, NONE), "gradient holds 0 doubles");
    }
  }

  @Test
  public void badShapesAreRejected() {
    assertMessage(() -> new Network(1, List.of(new Dense(8, 16, 0.1), new Tanh(15))), "layer 1 (Tanh) takes 15 inputs, but gets 16");
    assertMessage(() -> Network.mlp(8, new int[] {16}, 4, Activation.RELU, 1, 0.1),
        "a term maps R^d to R^d: the network takes 8 inputs but gives 4 outputs");
    assertMessage(() -> new Network(1, List.of()), "at least one layer");
    Tanh tanh = new Tanh(4);
    assertMessage(() -> new Network(1, List.of(tanh, tanh)), "layers 0 and 1 are the same object; use separate instances");
    assertMessage(() -> new Dense(0, 4, 0.1), "positive sizes");
    assertMessage(() -> new Dense(65536, 65536, 0.1), "4295032832 parameters, more than one array holds"); // wrapped to 65536
    assertMessage(() -> new Dense(4, 4, Double.NaN), "std must be >= 0");
    assertMessage(() -> new ReLU(0), "positive size");
    assertMessage(() -> new CircularConv1d(16, new double[] {1, -1}, true), "odd number of coefficients, at most d = 16; got 2");
    assertMessage(() -> new CircularConv1d(4, new double[] {1, 1, 1, 1, 1}, false), "got 5");
    assertMessage(() -> new GraphAttentionDiffusion(3, 2, new int[] {0, 1}, new int[] {1}, 1, 2, 0.1), "edge lists differ in length");
    assertMessage(() -> new GraphAttentionDiffusion(3, 2, new int[] {0, 3}, new int[] {1, 2}, 1, 2, 0.1),
        "edge 1 (3 -> 2) has a node outside 0..2");
    assertMessage(() -> new GraphAttentionDiffusion(3, 2, new int[] {0}, new int[] {1}, 0, 2, 0.1), "must be positive");
  }

  static void assertMessage(Runnable call, String part) {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }
}

package org.panode.nn;

import static org.testng.Assert.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.panode.ode.CircularStencilTerm;
import org.testng.annotations.Test;

/** Layer values against independent references (the gradient tests only check consistency with the value). */
public class LayerValueTest {
  private static MemorySegment of(double... values) {
    return MemorySegment.ofArray(values.clone());
  }

  private static double[] value(Network net, int batch, double... u) {
    double[] out = new double[u.length];
    net.value(0, of(u), batch, MemorySegment.ofArray(out));
    return out;
  }

  @Test
  public void denseIsWeightsTimesInputPlusBias() {
    Network net = new Network(0, List.of(new Dense(2, 2, 0)));
    // W = [[1, 2], [3, 4]] (row-major, out x in), b = [10, 20].
    net.parameters().copyFrom(of(1, 2, 3, 4, 10, 20));
    assertEquals(value(net, 2, 1, -1, 0.5, 2), new double[] {1 - 2 + 10, 3 - 4 + 20, 0.5 + 4 + 10, 1.5 + 8 + 20});
  }

  @Test
  public void activationsAreTheirFormulas() {
    assertEquals(value(new Network(0, List.of(new ReLU(3))), 1, -2, 0, 3), new double[] {0, 0, 3});
    assertEquals(value(new Network(0, List.of(new Tanh(2))), 1, 0.5, -1), new double[] {Math.tanh(0.5), Math.tanh(-1)});
    assertEquals(value(new Network(0, List.of(new Identity(2))), 1, 0.5, -1), new double[] {0.5, -1});
    // PyTorch's gelu(x, approximate="tanh") in float64.
    double[] gelu = value(new Network(0, List.of(new GELU(3))), 1, 1, -0.5, 3);
    assertEquals(gelu[0], 0.8411919906082768, 1e-15);
    assertEquals(gelu[1], -0.15428599017485606, 1e-15);
    assertEquals(gelu[2], 2.996362607918227, 1e-15);
  }

  @Test
  public void reluOnTheBitsIsMaxWithZeroAndItsDerivativeIsTheStepAtEveryEdgeValue() {
    double[] x = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, -1e-300, 2.5, -2.5, Double.NaN};
    double[] in = new double[x.length];
    java.util.Arrays.fill(in, -3.25);
    double[] y = new double[x.length], out = new double[x.length];
    ReLU relu = new ReLU(x.length);
    relu.forward(null, of(x), MemorySegment.ofArray(y), 1);
    relu.backward(null, of(x), of(y), of(in), MemorySegment.ofArray(out), null, 1);
    for (int i = 0; i < x.length; i++) {
      double expectedY = Double.isNaN(x[i]) ? Double.NaN : (x[i] > 0 ? x[i] : 0.0); // +0.0 for every x <= 0
      assertEquals(Double.doubleToRawLongBits(y[i]), Double.doubleToRawLongBits(expectedY), "relu(" + x[i] + ")");
      double expectedOut = x[i] > 0 || Double.isNaN(x[i]) ? in[i] : 0.0;
      assertEquals(Double.doubleToRawLongBits(out[i]), Double.doubleToRawLongBits(expectedOut), "relu'(" + x[i] + ")");
    }
  }

  @Test
  public void circularConvolutionMatchesTheStencilTerm() {
    int d = 32, batch = 3;
    double[] stencil = CircularStencilTerm.kuramotoSivashinskyStencil(0.7);
    CircularStencilTerm reference = new CircularStencilTerm(stencil, d, false);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u = TermChecks.gaussian(arena, batch * d, new Random(1), 1);
      MemorySegment expected = arena.allocate(8L * batch * d);
      reference.value(0, u, batch, expected);
      for (boolean learnable : new boolean[] {false, true}) {
        Network net = new Network(0, List.of(new CircularConv1d(d, stencil, learnable)));
        assertEquals(net.parameterCount(), learnable ? 5 : 0);
        MemorySegment out = arena.allocate(8L * batch * d);
        net.value(0, u, batch, out);
        assertEquals(TermChecks.relativeError(out, expected, batch * d), 0.0, 1e-15);
      }
    }
  }

  @Test
  public void zeroAttentionWeightsAverageTheIncomingNeighbours() {
    // Edges 0->1, 2->1, 1->1, 1->0; node 2 receives nothing.
    Network net = new Network(0, List.of(new GraphAttentionDiffusion(3, 2, new int[] {0, 2, 1, 1}, new int[] {1, 1, 1, 0}, 2, 3, 0)));
    double[] x = {1, 2, 3, 4, 5, 6};
    double[] f = value(net, 1, x);
    double[] expected = {3 - 1, 4 - 2, (1 + 5 + 3) / 3.0 - 3, (2 + 6 + 4) / 3.0 - 4, -5, -6};
    for (int i = 0; i < 6; i++) {
      assertEquals(f[i], expected[i], 1e-14);
    }
  }

  @Test
  public void attentionIsTheSoftmaxOfScaledQueryKeyProducts() {
    // Two nodes, one feature, one head, key size 1: W_Q = [a], W_K = [b]; edges 0->1 and 1->1.
    double a = 0.7, b = -1.3, x0 = 0.4, x1 = 1.5;
    Network net = new Network(0, List.of(new GraphAttentionDiffusion(2, 1, new int[] {0, 1}, new int[] {1, 1}, 1, 1, 0)));
    net.parameters().copyFrom(of(a, b));
    double s0 = a * x1 * b * x0, s1 = a * x1 * b * x1;
    double w0 = Math.exp(s0) / (Math.exp(s0) + Math.exp(s1));
    double[] f = value(net, 1, x0, x1);
    assertEquals(f[0], -x0, 1e-15);
    assertEquals(f[1], w0 * x0 + (1 - w0) * x1 - x1, 1e-15);
  }
}

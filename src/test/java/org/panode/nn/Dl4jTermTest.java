package org.panode.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.testng.annotations.Test;

/** The DL4J adapter against finite differences and against the same network built from nn layers. */
public class Dl4jTermTest {
  private static final org.nd4j.linalg.activations.Activation TANH = org.nd4j.linalg.activations.Activation.TANH;
  private static final org.nd4j.linalg.activations.Activation RELU = org.nd4j.linalg.activations.Activation.RELU;
  private static final org.nd4j.linalg.activations.Activation IDENTITY = org.nd4j.linalg.activations.Activation.IDENTITY;

  /** 8 -> 16 (tanh) -> 16 (ReLU) -> 8 (identity), float64. */
  static MultiLayerNetwork dl4j(DataType type, org.nd4j.linalg.activations.Activation last) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(type).list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(TANH).build())
        .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(RELU).build())
        .layer(new DenseLayer.Builder().nIn(16).nOut(8).activation(last).build())
        .build());
    net.init();
    return net;
  }

  private static Dl4jTerm term() {
    Dl4jTerm term = new Dl4jTerm(dl4j(DataType.DOUBLE, IDENTITY));
    TermChecks.randomizeParameters(term, new Random(5), 0.4);
    return term;
  }

  @Test
  public void matchesFiniteDifferences() {
    Dl4jTerm term = term();
    Random random = new Random(6);
    try (Arena arena = Arena.ofConfined()) {
      TermChecks.check("DL4J 8-16-16-8 tanh/ReLU", term, TermChecks.gaussian(arena, 4 * 8, random, 1), 4, random);
    }
  }

  @Test
  public void agreesWithTheSameNetworkOfLayers() {
    Dl4jTerm term = term();
    // DL4J's flat layout of a DenseLayer is W (in x out, column-major) then b: Dense's layout.
    Network net = new Network(0, List.of(new Dense(8, 16, 0), new Tanh(16), new Dense(16, 16, 0), new ReLU(16), new Dense(16, 8, 0)));
    assertEquals(net.parameterCount(), term.parameterCount());
    net.parameters().copyFrom(term.parameters());
    int batch = 5, n = 40, p = net.parameterCount();
    try (Arena arena = Arena.ofConfined()) {
      Random random = new Random(7);
      MemorySegment u = TermChecks.gaussian(arena, n, random, 1), v = TermChecks.gaussian(arena, n, random, 1);
      MemorySegment a = arena.allocate(8 * n), b = arena.allocate(8 * n);
      MemorySegment ga = arena.allocate(8L * p), gb = arena.allocate(8L * p);
      term.value(0, u, batch, a);
      net.value(0, u, batch, b);
      assertTrue(TermChecks.relativeError(a, b, n) <= TermChecks.EXACT_TOLERANCE, "value");
      term.jvp(0, u, v, batch, a);
      net.jvp(0, u, v, batch, b);
      assertTrue(TermChecks.relativeError(a, b, n) <= TermChecks.EXACT_TOLERANCE, "jvp");
      term.vjpBoth(0, u, v, batch, a, ga);
      net.vjpBoth(0, u, v, batch, b, gb);
      assertTrue(TermChecks.relativeError(a, b, n) <= TermChecks.EXACT_TOLERANCE, "vjp");
      assertTrue(TermChecks.relativeError(ga, gb, p) <= TermChecks.EXACT_TOLERANCE, "parameter vjp");
    }
  }

  @Test
  public void parametersAreTheNetworksOwnAndInputsStayUntouched() {
    Dl4jTerm term = term();
    term.parameters().setAtIndex(TermChecks.D, 3, 1.5);
    assertEquals(term.network().params().getDouble(3), 1.5);
    term.network().params().putScalar(4, -2.5);
    assertEquals(term.parameters().getAtIndex(TermChecks.D, 4), -2.5);
    try (Arena arena = Arena.ofConfined()) {
      Random random = new Random(8);
      MemorySegment u = TermChecks.gaussian(arena, 24, random, 1), w = TermChecks.gaussian(arena, 24, random, 1);
      MemorySegment uCopy = arena.allocate(8 * 24).copyFrom(u), wCopy = arena.allocate(8 * 24).copyFrom(w);
      MemorySegment out = arena.allocate(8 * 24), before = arena.allocate(8 * 24);
      term.value(0, u, 3, before);
      term.jvp(0, u, w, 3, out);
      term.vjpBoth(0, u, w, 3, out, arena.allocate(8L * term.parameterCount()));
      assertEquals(u.mismatch(uCopy), -1L);
      assertEquals(w.mismatch(wCopy), -1L);
      // Through the segment, a change of the last bias shifts that output.
      long lastBias = term.parameterCount() - 8 + 2;
      term.parameters().setAtIndex(TermChecks.D, lastBias, term.parameters().getAtIndex(TermChecks.D, lastBias) + 0.5);
      term.value(0, u, 3, out);
      assertEquals(out.getAtIndex(TermChecks.D, 8 + 2) - before.getAtIndex(TermChecks.D, 8 + 2), 0.5, 1e-12);
      assertEquals(out.getAtIndex(TermChecks.D, 8 + 1), before.getAtIndex(TermChecks.D, 8 + 1), 1e-15);
    }
  }

  @Test
  public void unsupportedNetworksAreRejected() {
    NetworkTest.assertMessage(() -> new Dl4jTerm(dl4j(DataType.DOUBLE, TANH)), "last layer must have the identity activation");
    NetworkTest.assertMessage(() -> new Dl4jTerm(dl4j(DataType.FLOAT, IDENTITY)), "must be float64");
    MultiLayerNetwork sigmoid = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(org.nd4j.linalg.activations.Activation.SIGMOID).build())
        .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(IDENTITY).build()).build());
    sigmoid.init();
    NetworkTest.assertMessage(() -> new Dl4jTerm(sigmoid), "only plain ReLU, tanh and identity");
    MultiLayerNetwork output = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(4).activation(IDENTITY).build()).build());
    output.init();
    NetworkTest.assertMessage(() -> new Dl4jTerm(output), "layer 0 is a OutputLayer; only DenseLayer");
    MultiLayerNetwork wide = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(IDENTITY).build()).build());
    wide.init();
    NetworkTest.assertMessage(() -> new Dl4jTerm(wide), "takes 4 inputs but gives 6");
    for (var layer : java.util.List.of(new DenseLayer.Builder().nIn(4).nOut(4).activation(TANH).dropOut(0.5),
        new DenseLayer.Builder().nIn(4).nOut(4).activation(TANH).hasLayerNorm(true),
        new DenseLayer.Builder().nIn(4).nOut(4).activation(TANH).weightNoise(new org.deeplearning4j.nn.conf.weightnoise.DropConnect(0.5)))) {
      MultiLayerNetwork noisy = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
          .layer(layer.build()).layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(IDENTITY).build()).build());
      noisy.init();
      NetworkTest.assertMessage(() -> new Dl4jTerm(noisy), "dropout, weight noise or layer normalization");
    }
    Dl4jTerm term = term();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ok = arena.allocate(8 * 16);
      NetworkTest.assertMessage(() -> term.value(0, arena.allocate(8 * 15), 2, ok), "u holds 15 doubles");
      NetworkTest.assertMessage(() -> term.vjpParameters(0, ok, ok, 2, ok), "gradient holds 16 doubles");
    }
  }
}

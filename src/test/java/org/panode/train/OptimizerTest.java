package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Optimizer steps on a toy quadratic f = 1/2 sum a_i (p_i - c_i)^2 whose parameters live in two
 * native segments (as [theta_J, theta_G] do): bit-identical to ND4J's updaters driven directly,
 * and Adam/AdamW equal to the formulas written out.
 */
public class OptimizerTest {
  static final double[] A = {1, 4, 0.25, 9, 2}, C = {1, -2, 3, 0.5, -1}, START = {0, 0.5, -1, 2, 4};
  static final double RATE = 0.1;

  static double[] gradient(double[] p) {
    double[] g = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      g[i] = A[i] * (p[i] - C[i]);
    }
    return g;
  }

  /** START split over two native segments of 2 and 3 doubles. */
  static Parameters parameters() {
    MemorySegment first = Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE, 2);
    MemorySegment second = Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE, 3);
    var p = Parameters.of(first, second);
    p.set(START);
    return p;
  }

  @DataProvider
  Object[][] names() {
    return new Object[][] {{"adam", new Adam(RATE), 0.0}, {"adamw", new Adam(RATE), Optimizer.DEFAULT_WEIGHT_DECAY},
        {"adamax", new AdaMax(RATE), 0.0}, {"rmsprop", new RmsProp(RATE), 0.0}};
  }

  @Test(dataProvider = "names")
  public void stepsEqualNd4jUpdatersDrivenDirectly(String name, IUpdater reference, double decay) {
    var optimizer = Optimizer.named(name, RATE, START.length);
    var p = parameters();
    INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, reference.stateSize(START.length));
    var updater = reference.instantiate(state, true);
    INDArray q = Nd4j.createFromArray(START.clone()).reshape(1, START.length);
    for (int it = 0; it < 20; it++) {
      optimizer.step(p, gradient(p.get()), 0);
      INDArray update = Nd4j.createFromArray(gradient(q.toDoubleVector())).reshape(1, START.length);
      updater.applyUpdater(update, it, 0);
      if (decay > 0) {
        new WeightDecay(decay, true).apply(q, update, RATE, it, 0);
      }
      q.subi(update);
      assertEquals(p.get(), q.toDoubleVector(), 0, name + " step " + it);
    }
    assertEquals(optimizer.iteration(), 20);
    assertEquals(optimizer.state(), state.toDoubleVector(), 0);
  }

  @Test
  public void adamAndAdamWEqualTheirFormulas() {
    for (double decay : new double[] {0, 0.3}) {
      var optimizer = decay == 0 ? Optimizer.named("Adam", RATE, START.length) : Optimizer.adamW(RATE, decay, START.length);
      var p = parameters();
      double[] x = START.clone(), m = new double[x.length], v = new double[x.length];
      double b1 = 0.9, b2 = 0.999, eps = 1e-8;
      for (int t = 1; t <= 10; t++) {
        double[] g = gradient(x);
        optimizer.step(p, g, 0);
        double alpha = RATE * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        for (int i = 0; i < x.length; i++) {
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          x[i] -= alpha * m[i] / (Math.sqrt(v[i]) + eps) + RATE * decay * x[i];
        }
        double[] got = p.get();
        for (int i = 0; i < x.length; i++) {
          assertEquals(got[i], x[i], 1e-13 * Math.max(1, Math.abs(x[i])), "decay " + decay + " step " + t + " entry " + i);
        }
      }
    }
  }

  @Test
  public void restoredStateContinuesIdentically() {
    var a = Optimizer.named("adamax", RATE, START.length);
    var pa = parameters();
    for (int it = 0; it < 3; it++) {
      a.step(pa, gradient(pa.get()), 0);
    }
    a.learningRate(0.03);
    var b = Optimizer.named("adamax", RATE, START.length);
    var pb = parameters();
    pb.set(pa.get());
    b.restore(a.state(), a.iteration(), a.learningRate());
    for (int it = 0; it < 3; it++) {
      a.step(pa, gradient(pa.get()), 1);
      b.step(pb, gradient(pb.get()), 1);
    }
    assertEquals(pb.get(), pa.get(), 0);
    assertEquals(b.learningRate(), 0.03);
    expectThrows(IllegalArgumentException.class, () -> b.restore(new double[3], 0, RATE));
  }

  @Test
  public void unknownNamesListTheKnownOnes() {
    var e = expectThrows(IllegalArgumentException.class, () -> Optimizer.named("sgd", RATE, 3));
    assertEquals(e.getMessage(), "unknown optimizer 'sgd'; known: adam, adamw, adamax, rmsprop");
  }

  @Test
  public void badInputsChangeNothing() {
    var optimizer = Optimizer.named("adam", RATE, START.length);
    var p = parameters();
    double[] bad = gradient(START);
    bad[3] = Double.NaN;
    var e = expectThrows(ArithmeticException.class, () -> optimizer.step(p, bad, 0));
    assertTrue(e.getMessage().contains("gradient entry 3 is NaN"), e.getMessage());
    expectThrows(IllegalArgumentException.class, () -> optimizer.step(p, new double[4], 0));
    assertEquals(p.get(), START);
    assertEquals(optimizer.iteration(), 0);
    assertEquals(optimizer.state(), new double[optimizer.stateSize()]);
    expectThrows(IllegalArgumentException.class, () -> Optimizer.named("adam", 0, 3));
    expectThrows(IllegalArgumentException.class, () -> Optimizer.named("adam", RATE, 0));
    expectThrows(IllegalArgumentException.class, () -> Optimizer.adamW(RATE, -1, 3));
    expectThrows(IllegalArgumentException.class, () -> optimizer.learningRate(Double.NaN));
  }

  /** Adam over 300,000 parameters: split over 3 batch threads it is bit for bit the 1-thread step; the first bad entry is named. */
  @Test
  public void adamOnTheBatchThreadsEqualsOneThread() {
    int n = 300_000;
    double[] start = new double[n], g = new double[n];
    for (int i = 0; i < n; i++) {
      start[i] = Math.sin(i * 0.37);
      g[i] = Math.cos(i * 0.11) * (1 + i % 7);
    }
    int before = org.panode.nn.BatchThreads.get();
    double[][] results = new double[2][];
    try {
      for (int threads : new int[] {1, 3}) {
        org.panode.nn.BatchThreads.set(threads);
        var p = Parameters.of(Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE, n));
        p.set(start);
        var optimizer = Optimizer.adamW(RATE, 0.01, n);
        for (int t = 0; t < 3; t++) {
          optimizer.step(p, g, 0);
        }
        results[threads == 1 ? 0 : 1] = p.get();
        double[] bad = g.clone();
        bad[290_000] = Double.POSITIVE_INFINITY;
        bad[250_001] = Double.NaN; // in the last of 3 parts, before the other
        var e = expectThrows(ArithmeticException.class, () -> optimizer.step(p, bad, 0));
        assertTrue(e.getMessage().startsWith("gradient entry 250001 is NaN"), e.getMessage());
      }
    } finally {
      org.panode.nn.BatchThreads.set(before);
    }
    assertEquals(results[1], results[0], 0);
    assertTrue(results[0][12345] != start[12345]);
  }
}

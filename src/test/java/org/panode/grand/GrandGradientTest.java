package org.panode.grand;

import static org.testng.Assert.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.panode.data.CitationGraph;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The full GRAND gradient (alpha, attention weights, encoder, decoder; dropout on, fixed masks) by
 * TSAdjoint and the chain rule equals central finite differences of the same discrete solve, on a
 * small random graph, for imex-rk2 at step 0.5 (a shortened last step included) and for rk4.
 */
public class GrandGradientTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  static CitationGraph randomGraph(int nodes, int features, int classes, long seed) {
    Random r = new Random(seed);
    double[] x = new double[nodes * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble() < 0.4 ? 1 : 0;
    }
    int[] labels = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      labels[i] = i % classes;
    }
    TreeSet<Long> edges = new TreeSet<>();
    for (int i = 0; i < nodes; i++) {
      int j = (i + 1 + r.nextInt(nodes - 1)) % nodes;
      edges.add((long) i * nodes + j);
      edges.add((long) j * nodes + i);
    }
    int[] src = edges.stream().mapToInt(e -> (int) (e / nodes)).toArray();
    int[] dst = edges.stream().mapToInt(e -> (int) (e % nodes)).toArray();
    return new CitationGraph(nodes, features, x, labels, classes, null, src, dst);
  }

  static double check(String method, double step) {
    var graph = randomGraph(7, 5, 3, 4);
    var config = new GrandConfig(4, 2, 3, 1.3, method, step, 1, 0.01, 0, 0.3, 0.2, 0.4, true, 1e-4, 9);
    int[] train = {0, 1, 2, 4, 5};
    long dropoutSeed = 77;
    try (var model = new GrandModel(graph, config)) {
      double[] theta = model.parameters().get();
      double[] g = new double[theta.length];
      model.lossAndGradient(train, dropoutSeed, g);
      double[] scratch = new double[theta.length];
      double h = 2e-3, worst = 0, largest = 0;
      for (double v : g) {
        largest = Math.max(largest, Math.abs(v));
      }
      long began = System.nanoTime();
      for (int p = 0; p < theta.length; p++) {
        // Central differences at h and h/2, Richardson-extrapolated: truncation O(h^4), rounding ~1e-13.
        double wide = centralDifference(model, theta, p, h, train, dropoutSeed, scratch);
        double narrow = centralDifference(model, theta, p, h / 2, train, dropoutSeed, scratch);
        double fd = (4 * narrow - wide) / 3;
        // Relative to the entry, or to 1e-4 of the largest entry for entries near zero.
        double error = Math.abs(g[p] - fd) / Math.max(Math.abs(fd), 1e-4 * largest);
        if (error > worst) {
          worst = error;
          System.out.printf("  parameter %d: adjoint %.12e, FD %.12e%n", p, g[p], fd);
        }
      }
      System.out.printf("  %.1f ms per loss%n", (System.nanoTime() - began) / 1e6 / (4 * theta.length));
      model.parameters().set(theta);
      System.out.printf("GRAND %s step %s: adjoint vs FD over %d parameters (alpha %.3e): worst relative error %.2e%n",
          method, step, theta.length, g[0], worst);
      return worst;
    }
  }

  static double centralDifference(GrandModel model, double[] theta, int p, double h, int[] train, long seed,
      double[] scratch) {
    double[] plus = theta.clone(), minus = theta.clone();
    plus[p] += h;
    minus[p] -= h;
    model.parameters().set(plus);
    double lp = model.loss(train, seed);
    model.parameters().set(minus);
    double lm = model.loss(train, seed);
    return (lp - lm) / (2 * h);
  }

  @Test
  public void imexRk2() {
    double worst = check("imex-rk2", 0.5);
    assertTrue(worst <= 1e-6, "worst relative error " + worst);
  }

  @Test
  public void rk4() {
    double worst = check("rk4", 0.1);
    assertTrue(worst <= 1e-6, "worst relative error " + worst);
  }
}

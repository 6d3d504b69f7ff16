package org.panode.data;

import java.io.IOException;
import java.util.Map;

/**
 * Kuramoto-Sivashinsky data: u_t = -u u_x - u_xx - u_xxxx on a periodic domain of length L,
 * Fourier pseudo-spectral on n points with ETDRK4 (32 contour points). After a transient
 * [0, warmUp] (discarded) it records {@code snapshots} states every {@code interval}, the first at
 * t = warmUp. Output ({@link #generate()}): "u" [snapshots, n], "t" [snapshots], "x" [n] with
 * x_j = j L / n.
 *
 * @param step the ETDRK4 step; {@code interval} must be a whole number of steps
 */
public record KuramotoSivashinsky(int gridSize, double length, InitialCondition initialCondition, double step,
    double warmUp, double interval, int snapshots) {

  /** The initial condition, on x in [0, L). */
  public enum InitialCondition {
    /** cos(2 pi x / L)(1 + sin(2 pi x / L)): periodic, zero mean (the analogue of Kassam and Trefethen's). */
    PERIODIC,
    /**
     * cos(x / 22)(1 + sin(x / 22)) read literally as the SINODE paper writes it: not periodic on
     * [0, 22) and of mean about 1.19, which the equation conserves, so the pattern drifts.
     */
    PAPER;

    double at(double x, double length) {
      double theta = this == PERIODIC ? 2 * Math.PI * x / length : x / 22;
      return Math.cos(theta) * (1 + Math.sin(theta));
    }
  }

  static final int CONTOUR_POINTS = 32;

  public KuramotoSivashinsky {
    if (gridSize < 4 || gridSize % 2 != 0 || !(length > 0) || !(step > 0) || !(warmUp >= 0) || snapshots < 1) {
      throw new IllegalArgumentException("bad Kuramoto-Sivashinsky settings: " + gridSize + " points, L = " + length
          + ", step " + step + ", transient " + warmUp + ", " + snapshots + " snapshots");
    }
    stepsPer(interval, step);
    stepsPer(warmUp, step);
  }

  /** The SINODE settings: L = 22, periodic initial condition, step 0.01, transient [0, 1000], 10,000 snapshots every 0.1. */
  public static KuramotoSivashinsky paper(int gridSize) {
    return new KuramotoSivashinsky(gridSize, 22, InitialCondition.PERIODIC, 0.01, 1000, 0.1, 10_000);
  }

  /** A small version for tests: 64 points, transient 20, 200 snapshots every 0.1. */
  public static KuramotoSivashinsky small() {
    return new KuramotoSivashinsky(64, 22, InitialCondition.PERIODIC, 0.01, 20, 0.1, 200);
  }

  public KuramotoSivashinsky withInitialCondition(InitialCondition ic) {
    return new KuramotoSivashinsky(gridSize, length, ic, step, warmUp, interval, snapshots);
  }

  /** The grid x_j = j L / n. */
  public double[] grid() {
    double[] x = new double[gridSize];
    for (int j = 0; j < gridSize; j++) {
      x[j] = j * length / gridSize;
    }
    return x;
  }

  /** The initial state on the grid. */
  public double[] initialState() {
    double[] x = grid();
    double[] u = new double[gridSize];
    for (int j = 0; j < gridSize; j++) {
      u[j] = initialCondition.at(x[j], length);
    }
    return u;
  }

  SpectralSolver solver() {
    return new SpectralSolver(gridSize, length, k -> k * k - k * k * k * k, false, step, CONTOUR_POINTS);
  }

  /** Integrates and returns "u", "t" and "x". */
  public NamedArrays generate() {
    SpectralSolver solver = solver();
    double[] v = solver.spectrum(initialState());
    solver.advance(v, stepsPer(warmUp, step));
    int every = stepsPer(interval, step);
    double[] u = new double[Math.multiplyExact(snapshots, gridSize)];
    double[] t = new double[snapshots];
    for (int s = 0; s < snapshots; s++) {
      if (s > 0) {
        solver.advance(v, every);
      }
      System.arraycopy(solver.values(v), 0, u, s * gridSize, gridSize);
      t[s] = warmUp + s * interval;
    }
    return NamedArrays.of(Map.entry("u", NdArray.of(u, snapshots, gridSize)), Map.entry("t", NdArray.of(t, snapshots)),
        Map.entry("x", NdArray.of(grid(), gridSize)));
  }

  /** {@link #generate()} through the data cache. */
  public NamedArrays load() throws IOException {
    return DataCache.standard().load("ks" + gridSize, toString(), this::generate);
  }

  /** The number of steps in a span; IllegalArgumentException unless it is a whole number. */
  static int stepsPer(double span, double step) {
    double ratio = span / step;
    long steps = Math.round(ratio);
    if (Math.abs(ratio - steps) > 1e-9 * Math.max(1, ratio) || steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the span " + span + " is not a whole number of steps " + step);
    }
    return (int) steps;
  }
}

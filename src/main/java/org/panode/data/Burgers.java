package org.panode.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Viscous Burgers data: u_t + u u_x = nu u_xx on [0, 1) periodic, Fourier pseudo-spectral on n
 * points with 2/3-rule dealiasing and ETDRK4 (32 contour points) at a fixed internal step. Each of
 * {@code samples} initial conditions is a random zero-mean trigonometric polynomial
 * sum_{m=1..modes} (a_m cos 2 pi m x + b_m sin 2 pi m x) with a_m, b_m uniform in [-1, 1] / m^2,
 * scaled to the root-mean-square {@code amplitude}; the coefficients depend only on the seed and the sample
 * index, so every grid gets the same initial conditions. States are recorded at {@code times}
 * times 0, interval, 2 interval, ... Output ({@link #generate()}): "u" [samples, times, n],
 * "t" [times], "x" [n] with x_j = j / n.
 */
public record Burgers(int gridSize, double viscosity, int samples, int times, double interval, double step, int modes,
    double amplitude, long seed) {
  public Burgers {
    if (gridSize < 4 || gridSize % 2 != 0 || !(viscosity > 0) || samples < 1 || times < 1 || !(step > 0)
        || modes < 1 || modes > (gridSize - 1) / 3 || !(amplitude > 0)) {
      throw new IllegalArgumentException("bad Burgers settings: " + gridSize + " points, nu = " + viscosity + ", "
          + samples + " samples, " + times + " times, step " + step + ", " + modes + " modes, amplitude " + amplitude);
    }
    KuramotoSivashinsky.stepsPer(interval, step);
  }

  /** The SINODE settings: nu = 8e-4, 100 initial conditions, t in [0, 5] every 0.1 (51 times); step 1e-3. */
  public static Burgers paper(int gridSize) {
    return new Burgers(gridSize, 8e-4, 100, 51, 0.1, 1e-3, 4, 0.5, 1);
  }

  /** A small version for tests: 64 points, nu = 0.01, 4 initial conditions, t in [0, 1] every 0.1. */
  public static Burgers small() {
    return new Burgers(64, 0.01, 4, 11, 0.1, 1e-3, 4, 0.5, 1);
  }

  public Burgers withStep(double newStep) {
    return new Burgers(gridSize, viscosity, samples, times, interval, newStep, modes, amplitude, seed);
  }

  /** The grid x_j = j / n. */
  public double[] grid() {
    double[] x = new double[gridSize];
    for (int j = 0; j < gridSize; j++) {
      x[j] = (double) j / gridSize;
    }
    return x;
  }

  /** Initial condition {@code sample} on the grid. */
  public double[] initialState(int sample) {
    Random random = new Random(seed * 1_000_003L + sample);
    double[] a = new double[modes + 1], b = new double[modes + 1];
    for (int m = 1; m <= modes; m++) {
      a[m] = (2 * random.nextDouble() - 1) / ((double) m * m);
      b[m] = (2 * random.nextDouble() - 1) / ((double) m * m);
    }
    double rms = 0; // of the polynomial: sum over modes of (a_m^2 + b_m^2) / 2, independent of the grid
    for (int m = 1; m <= modes; m++) {
      rms += (a[m] * a[m] + b[m] * b[m]) / 2;
    }
    double scale = amplitude / Math.sqrt(rms);
    double[] u = new double[gridSize];
    for (int j = 0; j < gridSize; j++) {
      double x = (double) j / gridSize;
      for (int m = 1; m <= modes; m++) {
        u[j] += scale * (a[m] * Math.cos(2 * Math.PI * m * x) + b[m] * Math.sin(2 * Math.PI * m * x));
      }
    }
    return u;
  }

  SpectralSolver solver() {
    return new SpectralSolver(gridSize, 1, k -> -viscosity * k * k, true, step, KuramotoSivashinsky.CONTOUR_POINTS);
  }

  /** The states of one sample at the output times, [times * n]. */
  double[] trajectory(int sample) {
    SpectralSolver solver = solver();
    double[] v = solver.spectrum(initialState(sample));
    int every = KuramotoSivashinsky.stepsPer(interval, step);
    double[] u = new double[times * gridSize];
    for (int k = 0; k < times; k++) {
      if (k > 0) {
        solver.advance(v, every);
      }
      System.arraycopy(solver.values(v), 0, u, k * gridSize, gridSize);
    }
    return u;
  }

  /** Integrates every sample (in parallel) and returns "u", "t" and "x". */
  public NamedArrays generate() {
    double[][] each = IntStream.range(0, samples).parallel().mapToObj(this::trajectory).toArray(double[][]::new);
    double[] u = new double[Math.multiplyExact(samples, times * gridSize)];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(each[s], 0, u, s * times * gridSize, times * gridSize);
    }
    double[] t = new double[times];
    for (int k = 0; k < times; k++) {
      t[k] = k * interval;
    }
    return NamedArrays.of(Map.entry("u", NdArray.of(u, samples, times, gridSize)), Map.entry("t", NdArray.of(t, times)),
        Map.entry("x", NdArray.of(grid(), gridSize)));
  }

  /** {@link #generate()} through the data cache. */
  public NamedArrays load() throws IOException {
    return DataCache.standard().load("burgers" + gridSize, toString(), this::generate);
  }

  /** Training and test trajectories: the first {@code train} initial conditions and the rest. */
  public record Split(NdArray.Doubles train, NdArray.Doubles test) {}

  /** Splits "u" [samples, times, n] by initial condition: the first {@code train} samples, then the rest (80/20 in SINODE). */
  public static Split split(NdArray.Doubles u, int train) {
    int[] shape = u.shape();
    if (shape.length != 3 || train < 1 || train >= shape[0]) {
      throw new IllegalArgumentException("expected [samples, times, n] with 0 < train < samples; got " + u + " and " + train);
    }
    int block = shape[1] * shape[2];
    return new Split(new NdArray.Doubles(new int[] {train, shape[1], shape[2]}, Arrays.copyOf(u.data(), train * block)),
        new NdArray.Doubles(new int[] {shape[0] - train, shape[1], shape[2]},
            Arrays.copyOfRange(u.data(), train * block, u.data().length)));
  }
}

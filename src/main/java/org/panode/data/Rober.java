package org.panode.data;

import java.util.List;
import java.util.Map;

/**
 * ROBER (Robertson 1966), the stiff chemistry benchmark: y1' = -k1 y1 + k3 y2 y3,
 * y2' = k1 y1 - k2 y2^2 - k3 y2 y3, y3' = k2 y2^2 with k1 = 0.04, k2 = 3e7, k3 = 1e4 and
 * y(0) = (1, 0, 0) at t = 0, recorded at {@code outputs} log-spaced times in [first, last] (as in Kim et al.'s
 * script: integrated from t = 0, the first sample at t = first). Output
 * ({@link #generate()}): "y" [outputs, 3], "t" [outputs], "y0" [3].
 */
public record Rober(int outputs, double first, double last, double absoluteTolerance, double relativeTolerance) {
  static final double K1 = 0.04, K2 = 3e7, K3 = 1e4;
  static final double[] Y0 = {1, 0, 0};

  public Rober {
    if (outputs < 2 || !(first > 0) || !(last > first) || !(absoluteTolerance > 0) || !(relativeTolerance > 0)) {
      throw new IllegalArgumentException("bad ROBER settings: " + outputs + " outputs in [" + first + ", " + last + "]");
    }
  }

  /** The stiff-neural-ODE settings: 50 log-spaced times in [1e-5, 1e5]. */
  public static Rober paper() {
    return new Rober(50, 1e-5, 1e5, 1e-14, 1e-10);
  }

  static ReactionNetwork network() {
    return new ReactionNetwork(3, List.of(
        new ReactionNetwork.Reaction(K1, new int[] {0}, new int[] {1}),
        new ReactionNetwork.Reaction(K2, new int[] {1, 1}, new int[] {1, 2}),
        new ReactionNetwork.Reaction(K3, new int[] {1, 2}, new int[] {0, 2})));
  }

  /** The output times: log-spaced from first to last. */
  public double[] times() {
    double[] t = new double[outputs];
    double a = Math.log10(first), b = Math.log10(last);
    for (int k = 0; k < outputs; k++) {
      t[k] = k == outputs - 1 ? last : Math.pow(10, a + (b - a) * k / (outputs - 1));
    }
    t[0] = first;
    return t;
  }

  /** Integrates (with PETSc, on this thread) and returns "y", "t" and "y0". */
  public NamedArrays generate() {
    double[] t = times();
    double[][] states = StiffChemistry.solve(network(), Y0, t, first / 1000, absoluteTolerance, relativeTolerance);
    double[] y = new double[outputs * 3];
    for (int k = 0; k < outputs; k++) {
      System.arraycopy(states[k], 0, y, 3 * k, 3);
    }
    return NamedArrays.of(Map.entry("y", NdArray.of(y, outputs, 3)), Map.entry("t", NdArray.of(t, outputs)),
        Map.entry("y0", NdArray.of(Y0.clone(), 3)));
  }

  /** {@link #generate()} through the data cache. */
  public NamedArrays load() throws java.io.IOException {
    return DataCache.standard().load("rober", toString() + " " + StiffChemistry.METHOD + " " + StiffChemistry.OPTIONS, this::generate);
  }

  /** The species names. */
  public static java.util.List<String> species() {
    return List.of("y1", "y2", "y3");
  }
}

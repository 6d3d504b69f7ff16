package org.panode.data;

import java.util.List;
import java.util.Map;

/**
 * POLLU, the air-pollution chemistry of the Dutch RIVM (Verwer 1994) as in the Test Set for IVP
 * Solvers (Mazzia and Iavernaro, problem pollu.f): 20 species, 25 mass-action reactions, t in
 * [0, 60] minutes, concentrations in ppm. Recorded at {@code outputs} evenly spaced times
 * 60 k / outputs, k = 1..outputs. Output ({@link #generate()}): "y" [outputs, 20], "t" [outputs],
 * "y0" [20].
 */
public record Pollu(int outputs, double end, double absoluteTolerance, double relativeTolerance) {
  /** Rate constants k1..k25 of pollu.f. */
  static final double[] K = {.35, .266e2, .123e5, .86e-3, .82e-3, .15e5, .13e-3, .24e5, .165e5, .9e4, .22e-1, .12e5,
      .188e1, .163e5, .48e7, .35e-3, .175e-1, .1e9, .444e12, .124e4, .21e1, .578e1, .474e-1, .178e4, .312e1};

  public Pollu {
    if (outputs < 1 || !(end > 0) || !(absoluteTolerance > 0) || !(relativeTolerance > 0)) {
      throw new IllegalArgumentException("bad POLLU settings: " + outputs + " outputs in (0, " + end + "]");
    }
  }

  /** Every minute of [0, 60]. */
  public static Pollu paper() {
    return new Pollu(60, 60, 1e-14, 1e-8);
  }

  /** The initial concentrations of pollu.f. */
  static double[] initialState() {
    double[] y = new double[20];
    y[1] = 0.2;
    y[3] = 0.04;
    y[6] = 0.1;
    y[7] = 0.3;
    y[8] = 0.01;
    y[16] = 0.007;
    return y;
  }

  /** The 25 reactions of pollu.f (species 1..20 there are 0..19 here). */
  static ReactionNetwork network() {
    int[][][] r = { // {reactants}, {products}, 1-based as in pollu.f
        {{1}, {2, 3}}, {{2, 4}, {1}}, {{5, 2}, {1, 6}}, {{7}, {5, 5, 8}}, {{7}, {8}},
        {{7, 6}, {5, 8}}, {{9}, {5, 8, 10}}, {{9, 6}, {11}}, {{11, 2}, {1, 10, 12}}, {{11, 1}, {13}},
        {{13}, {1, 11}}, {{10, 2}, {1, 14}}, {{14}, {5, 7}}, {{1, 6}, {15}}, {{3}, {4}},
        {{4}, {16}}, {{4}, {3}}, {{16}, {6, 6}}, {{16}, {3}}, {{17, 6}, {5, 18}},
        {{19}, {2}}, {{19}, {1, 3}}, {{1, 4}, {19}}, {{19, 1}, {20}}, {{20}, {1, 19}}};
    var reactions = new java.util.ArrayList<ReactionNetwork.Reaction>();
    for (int i = 0; i < r.length; i++) {
      reactions.add(new ReactionNetwork.Reaction(K[i], zeroBased(r[i][0]), zeroBased(r[i][1])));
    }
    return new ReactionNetwork(20, reactions);
  }

  private static int[] zeroBased(int[] oneBased) {
    return java.util.Arrays.stream(oneBased).map(i -> i - 1).toArray();
  }

  /** The output times end k / outputs, k = 1..outputs. */
  public double[] times() {
    double[] t = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      t[k] = end * (k + 1) / outputs;
    }
    return t;
  }

  /** Integrates (with PETSc, on this thread) and returns "y", "t" and "y0". */
  public NamedArrays generate() {
    double[] t = times();
    double[][] states = StiffChemistry.solve(network(), initialState(), t, 1e-8, absoluteTolerance, relativeTolerance);
    double[] y = new double[outputs * 20];
    for (int k = 0; k < outputs; k++) {
      System.arraycopy(states[k], 0, y, 20 * k, 20);
    }
    return NamedArrays.of(Map.entry("y", NdArray.of(y, outputs, 20)), Map.entry("t", NdArray.of(t, outputs)),
        Map.entry("y0", NdArray.of(initialState(), 20)));
  }

  /** {@link #generate()} through the data cache. */
  public NamedArrays load() throws java.io.IOException {
    return DataCache.standard().load("pollu", toString() + " " + StiffChemistry.METHOD + " " + StiffChemistry.OPTIONS, this::generate);
  }
}

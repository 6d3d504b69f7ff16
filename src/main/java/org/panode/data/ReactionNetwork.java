package org.panode.data;

import java.util.List;

/**
 * A chemical reaction network with mass-action kinetics: reaction r runs at rate
 * k_r prod_{i in reactants} y_i, consumes its reactants and makes its products (a species may be
 * listed twice). dy/dt = sum_r rate_r (products_r - reactants_r); its JVP and VJP follow the
 * reactions, without a dense Jacobian.
 */
record ReactionNetwork(int species, List<Reaction> reactions) {
  /** One reaction: rate constant, reactant and product species (0-based indices). */
  record Reaction(double rate, int[] reactants, int[] products) {
    Reaction {
      reactants = reactants.clone();
      products = products.clone();
    }

    /** k prod y[reactants]. */
    double rate(double[] y, int offset) {
      double r = rate;
      for (int i : reactants) {
        r *= y[offset + i];
      }
      return r;
    }

    /** d rate / d y[reactants[skip]]: k times the product of the other reactants. */
    double partial(double[] y, int offset, int skip) {
      double r = rate;
      for (int j = 0; j < reactants.length; j++) {
        if (j != skip) {
          r *= y[offset + reactants[j]];
        }
      }
      return r;
    }
  }

  ReactionNetwork {
    reactions = List.copyOf(reactions);
    for (Reaction r : reactions) {
      for (int[] list : new int[][] {r.reactants(), r.products()}) {
        for (int i : list) {
          if (i < 0 || i >= species) {
            throw new IllegalArgumentException("species index " + i + " outside 0.." + (species - 1));
          }
        }
      }
    }
  }

  /** Adds the change of each species at rate {@code rate} of reaction r to out[offset..]. */
  private static void addChange(Reaction r, double rate, double[] out, int offset) {
    for (int i : r.reactants()) {
      out[offset + i] -= rate;
    }
    for (int i : r.products()) {
      out[offset + i] += rate;
    }
  }

  /** out[offset..offset+species) = f(y[offset..]). */
  void derivative(double[] y, double[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + species, 0);
    for (Reaction r : reactions) {
      addChange(r, r.rate(y, offset), out, offset);
    }
  }

  /** out = (df/dy) v at y, per block at offset. */
  void jvp(double[] y, double[] v, double[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + species, 0);
    for (Reaction r : reactions) {
      double dRate = 0;
      for (int j = 0; j < r.reactants().length; j++) {
        dRate += r.partial(y, offset, j) * v[offset + r.reactants()[j]];
      }
      addChange(r, dRate, out, offset);
    }
  }

  /** out = (df/dy)^T w at y, per block at offset. */
  void vjp(double[] y, double[] w, double[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + species, 0);
    for (Reaction r : reactions) {
      double change = 0; // (products - reactants) . w
      for (int i : r.reactants()) {
        change -= w[offset + i];
      }
      for (int i : r.products()) {
        change += w[offset + i];
      }
      for (int j = 0; j < r.reactants().length; j++) {
        out[offset + r.reactants()[j]] += change * r.partial(y, offset, j);
      }
    }
  }
}

package org.panode.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.panode.data.NamedArrays;
import org.panode.data.NdArray;
import org.panode.data.Pollu;
import org.panode.data.Rober;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.ScaledTerm;
import org.panode.ode.Term;
import org.panode.train.Loss;
import org.panode.train.PlateauSchedule;
import org.panode.train.TrajectoryDataset;

/**
 * Stiff chemistry as in Kim et al., "Stiff neural ODEs" (2021): learn dy/dt from one trajectory of
 * ROBER (3 species, 50 log-spaced samples in [1e-5, 1e5]) or POLLU (20 species, every minute of
 * [0, 60]), starting from the first sample (ROBER) or y0 (POLLU).
 *
 * <p>Scaled model (the paper's equation scaling, eq. 13): dy/dtau = NN(y / y_scale) * y_scale /
 * tau_scale with y_scale = max - min of each species over the data and tau_scale the time span, a
 * deep GELU MLP (ROBER 3-5x6-3, POLLU 20-10x3-20) and MAE on y / y_scale (eq. 14), AdamW 5e-3. The
 * network's inputs are divided by y_scale too (the paper's outlook; without it y2 ~ 1e-5 is an
 * invisible input). ROBER is integrated in log time tau = ln(t / 1e-5), where its dynamics are
 * smooth and a few fixed steps per sample suffice; POLLU in t. Baseline: the same network
 * without any scaling (dy/dtau = NN(y)) and plain MSE on the raw species.
 *
 * <p>The method is implicit (default cn, also beuler or ts:NAME with TSAdjoint), the gradient the
 * discrete adjoint; steps are fixed (so that the adjoint is exact and the gradient checkable).
 */
public final class ChemistryExperiment implements Experiment {
  public static final ChemistryExperiment ROBER = rober(true);
  public static final ChemistryExperiment ROBER_BASELINE = rober(false);
  public static final ChemistryExperiment POLLU = pollu(true);
  public static final ChemistryExperiment POLLU_BASELINE = pollu(false);

  /** ROBER, scaled or the baseline (new instances: {@link Experiment#ALL} is built from these). */
  static ChemistryExperiment rober(boolean scaled) {
    return new ChemistryExperiment(scaled ? "rober" : "rober-baseline", true, new int[] {5, 5, 5, 5, 5, 5}, scaled, 2, 1000);
  }

  static ChemistryExperiment pollu(boolean scaled) {
    return new ChemistryExperiment(scaled ? "pollu" : "pollu-baseline", false, new int[] {10, 10, 10}, scaled, 4, 500);
  }

  private final String name;
  private final boolean rober;
  private final int[] hidden;
  private final boolean scaled;
  private final int stepsPerSample;
  private final int epochs;

  private ChemistryExperiment(String name, boolean rober, int[] hidden, boolean scaled, int stepsPerSample, int epochs) {
    this.name = name;
    this.rober = rober;
    this.hidden = hidden;
    this.scaled = scaled;
    this.stepsPerSample = stepsPerSample;
    this.epochs = epochs;
  }

  @Override
  public String name() {
    return name;
  }

  /** The number of species (there is no grid). */
  @Override
  public List<Integer> grids() {
    return List.of(rober ? 3 : 20);
  }

  @Override
  public String defaultMethod() {
    return "cn";
  }

  @Override
  public Settings defaults(int grid, String method) {
    if (Method.parse(method).kind() != Method.Kind.IMPLICIT) {
      throw new IllegalArgumentException(name + " is stiff and needs an implicit method (cn, beuler or ts:NAME), not " + method);
    }
    // ROBER: 49 intervals of ln(1e10) / 49 = 0.47 in log time; POLLU: 60 intervals of 1 minute.
    double interval = rober ? Math.log(1e10) / 49 : 1.0;
    return new Settings(grid, method, interval / stepsPerSample, epochs, 1, 5e-3, "adamw", 0, Path.of("runs", name + "-" + method));
  }

  @Override
  public Setup setup(Settings s) throws IOException {
    return setup(s, rober ? Rober.paper().load() : Pollu.paper().load());
  }

  /** The experiment on given data: "t" [K] and "y" [K, species] (ROBER: t[0] is the start; POLLU: "y0" is). */
  public Setup setup(Settings s, NamedArrays data) {
    NdArray.Doubles y = data.doubles("y");
    double[] t = data.doubles("t").slice();
    int d = grids().getFirst();
    if (y.shape().length != 2 || y.shape()[1] != d || y.shape()[0] != t.length || t.length < 2) {
      throw new IllegalArgumentException(name + " data must be y [K >= 2, " + d + "] with t [K], not y " + Arrays.toString(y.shape())
          + ", t [" + t.length + "]");
    }
    double[] start;
    double[] physical;
    double[][] targets;
    double[] times;
    if (rober) { // start at the first sample; tau = ln(t / t_1)
      start = y.slice(0);
      int k = t.length - 1;
      physical = Arrays.copyOfRange(t, 1, t.length);
      times = new double[k];
      targets = new double[k][];
      for (int j = 0; j < k; j++) {
        times[j] = Math.log(t[j + 1] / t[0]);
        targets[j] = y.slice(j + 1);
      }
    } else {
      start = data.doubles("y0").slice();
      physical = t.clone();
      times = t.clone();
      targets = new double[t.length][];
      for (int j = 0; j < t.length; j++) {
        targets[j] = y.slice(j);
      }
    }
    var train = new TrajectoryDataset(times, new double[][] {start}, new double[][][] {targets});
    double[] range = train.componentRanges();
    double span = times[times.length - 1];
    var network = Network.mlp(d, hidden, d, Activation.GELU, s.seed(), 1 / Math.sqrt(hidden[0]));
    Term model;
    Loss loss;
    if (scaled) {
      double[] out = new double[d];
      for (int i = 0; i < d; i++) {
        out[i] = range[i] / span;
      }
      model = new ScaledTerm(network, range, out);
      loss = Loss.scaled(Loss.mae(), range);
    } else {
      model = network;
      loss = Loss.mse();
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= d; i++) {
      names.add("y" + i);
    }
    String description = String.format(java.util.Locale.ROOT, "%s: one trajectory, %d samples in t = [%.3g, %.3g]%s; MLP %d-%s-%d GELU%s",
        name, times.length, physical[0], physical[physical.length - 1], rober ? " (integrated in tau = ln(t / " + t[0] + "))" : "",
        d, hidden[0] + "x" + hidden.length, d, scaled ? ", equation and loss scaling by y_scale = max - min, MAE" : ", unscaled, MSE");
    return new Setup(description, new ImplicitProblem(model), train, train, loss, new PlateauSchedule(200, 0.5, 1e-4), false,
        null, 0, new Setup.Species(names, physical, range, rober));
  }

  /**
   * Per species, max over the output times of |predicted - true| / scale (scale: the species'
   * range), from predicted and true states [K][d] of one trajectory.
   */
  public static double[] errors(double[][] predicted, double[][] truth, double[] scale) {
    double[] worst = new double[scale.length];
    for (int k = 0; k < truth.length; k++) {
      for (int i = 0; i < scale.length; i++) {
        double e = Math.abs(predicted[k][i] - truth[k][i]) / scale[i];
        worst[i] = Double.isNaN(e) ? Double.NaN : Math.max(worst[i], e);
      }
    }
    return worst;
  }
}

package org.panode.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.panode.data.Burgers;
import org.panode.data.NdArray;
import org.panode.nn.Activation;
import org.panode.nn.Network;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.SplitProblem;
import org.panode.train.Loss;
import org.panode.train.PlateauSchedule;
import org.panode.train.TrajectoryDataset;

/**
 * Viscous Burgers, nu = 8e-4 on [0, 1) periodic, as in PNODE's script: 100 initial conditions x 51
 * times (every 0.1), the first 80 for training. An epoch is 19 iterations of 200 (initial
 * condition, start) pairs, each predicting one 0.1 interval: here 19 x 200 pairs drawn once
 * (seeded) without replacement from the 80 x 50 possible ones. Model: MLP N-9N/8x4-N (ReLU,
 * weights N(0, 0.1)) + the fixed 3-point stencil nu [1, -2, 1] / dx^2. L1 loss, AdamW 1e-3,
 * plateau (95, 0.5).
 */
public final class BurgersExperiment implements Experiment {
  static final double INTERVAL = 0.1;
  static final int ITERATIONS = 19;
  static final int TRAIN_SAMPLES = 80;
  /** Test pairs drawn from the held-out initial conditions: the paper's batch of 200, whatever --batch is (comparable test losses). */
  static final int TEST_PAIRS = 200;

  @Override
  public String name() {
    return "burgers";
  }

  @Override
  public List<Integer> grids() {
    return List.of(512, 1024);
  }

  @Override
  public Settings defaults(int grid, String method) {
    // The paper's steps (section 5.3): explicit methods blow up above 0.001 at grid 512 and above 0.0005 at 1024
    // (4 nu / dx^2 = 3355 there: RK4 at 0.001 would be past its stability limit 2.785 / 3355 = 0.00083).
    double step = Method.parse(method).kind() == Method.Kind.EXPLICIT ? (grid >= 1024 ? 0.0005 : 0.001) : 0.05;
    return new Settings(grid, method, step, 20, 200, 1e-3, "adamw", 0, Path.of("runs", "burgers" + grid + "-" + method));
  }

  @Override
  public Setup setup(Settings s) throws IOException {
    return setup(s, Burgers.paper(s.grid()).load().doubles("u"));
  }

  /** The experiment on given trajectories u [samples > 80, times, grid], every 0.1. */
  public Setup setup(Settings s, NdArray.Doubles u) {
    var generator = Burgers.paper(s.grid());
    if (u.shape().length != 3 || u.shape()[2] != s.grid() || u.shape()[0] <= TRAIN_SAMPLES || u.shape()[1] < 2) {
      throw new IllegalArgumentException("Burgers data must be [samples > " + TRAIN_SAMPLES + ", times, " + s.grid() + "], not " + u);
    }
    int samples = u.shape()[0], times = u.shape()[1], n = u.shape()[2];
    TrajectoryDataset train = draw(u, 0, TRAIN_SAMPLES, ITERATIONS * s.batch(), s.seed());
    TrajectoryDataset test = draw(u, TRAIN_SAMPLES, samples, Math.min(TEST_PAIRS, (samples - TRAIN_SAMPLES) * (times - 1)),
        s.seed() + 1);
    double dx = 1.0 / n;
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(generator.viscosity(), dx), n, false);
    int hidden = 9 * n / 8;
    var network = Network.mlp(n, new int[] {hidden, hidden, hidden, hidden}, n, Activation.RELU, s.seed(), 0.1);
    String description = "viscous Burgers nu = " + generator.viscosity() + ", grid " + n + ": " + train.size() + " training pairs ("
        + ITERATIONS + " iterations of " + s.batch() + "), " + test.size() + " test pairs; MLP " + n + "-" + hidden + "x4-" + n
        + " + fixed 3-point stencil";
    double[][] reference = new double[times][];
    for (int k = 0; k < times; k++) {
      reference[k] = u.slice(TRAIN_SAMPLES, k);
    }
    return new Setup(description, new SplitProblem(network, stencil), train, test, Loss.mae(), new PlateauSchedule(95, 0.5, 0), true,
        reference, INTERVAL);
  }

  /** {@code count} distinct (sample, start) pairs from samples [from, to), each predicting one interval. */
  static TrajectoryDataset draw(NdArray.Doubles u, int from, int to, int count, long seed) {
    int times = u.shape()[1];
    int pairs = (to - from) * (times - 1);
    if (count > pairs) {
      throw new IllegalArgumentException("asked for " + count + " pairs, only " + pairs + " exist");
    }
    int[] order = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = pairs - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[][] initial = new double[count][];
    double[][][] targets = new double[count][1][];
    for (int k = 0; k < count; k++) {
      int sample = from + order[k] / (times - 1), start = order[k] % (times - 1);
      initial[k] = u.slice(sample, start);
      targets[k][0] = u.slice(sample, start + 1);
    }
    return new TrajectoryDataset(new double[] {INTERVAL}, initial, targets);
  }
}

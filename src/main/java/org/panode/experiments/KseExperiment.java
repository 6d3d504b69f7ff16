package org.panode.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.panode.data.KuramotoSivashinsky;
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
 * Kuramoto-Sivashinsky, L = 22, as in the SINODE paper and PNODE's script: one long trajectory
 * (10,000 snapshots every 0.1 after a transient of 1000), training on rows 0..7999 at stride 10,
 * each sample predicting u(t + 1.0) from u(t) (799 pairs; batch 256 with drop-last: 3 batches of 5
 * IMEX steps of 0.2), testing on rows 8000..9999 likewise. Model: MLP N-200x4-N (ReLU, weights
 * N(0, 0.01)) + the fixed 5-point stencil of -u_xx - u_xxxx. MSE, AdamW 5e-3, plateau (50, 0.75, 1e-6).
 */
public final class KseExperiment implements Experiment {
  static final double LENGTH = 22;
  static final double HORIZON = 1.0;
  static final int STRIDE = 10;
  static final int TRAIN_ROWS = 8000;
  /** Snapshots of the test trajectory the trained model is rolled out over (50 time units). */
  static final int ROLLOUT = 501;

  @Override
  public String name() {
    return "kse";
  }

  @Override
  public List<Integer> grids() {
    return List.of(64, 512);
  }

  @Override
  public Settings defaults(int grid, String method) {
    Method m = Method.parse(method);
    double step = switch (m.kind()) {
      case IMEX -> 0.2;
      case IMPLICIT -> 0.2;
      case EXPLICIT -> 0.001;
    };
    return new Settings(grid, method, step, 200, 256, 5e-3, "adamw", 0, Path.of("runs", "kse" + grid + "-" + method));
  }

  @Override
  public Setup setup(Settings s) throws IOException {
    return setup(s, KuramotoSivashinsky.paper(s.grid()).load().doubles("u"));
  }

  /** The experiment on a given trajectory u [snapshots every 0.1, grid] (at least 8000 + 2000 rows). */
  public Setup setup(Settings s, NdArray.Doubles u) {
    if (u.shape().length != 2 || u.shape()[1] != s.grid() || u.shape()[0] <= TRAIN_ROWS + STRIDE) {
      throw new IllegalArgumentException("KSE data must be [snapshots > " + (TRAIN_ROWS + STRIDE) + ", " + s.grid() + "], not " + u);
    }
    int n = u.shape()[1];
    int ahead = (int) Math.round(HORIZON / 0.1);
    TrajectoryDataset train = pairs(u, 0, TRAIN_ROWS, ahead);
    TrajectoryDataset test = pairs(u, TRAIN_ROWS, u.shape()[0], ahead);
    double dx = LENGTH / n;
    var stencil = new CircularStencilTerm(CircularStencilTerm.kuramotoSivashinskyStencil(dx), n, false);
    var network = Network.mlp(n, new int[] {200, 200, 200, 200}, n, Activation.RELU, s.seed(), 0.01);
    String description = "Kuramoto-Sivashinsky L = 22, grid " + n + ": " + train.size() + " training and " + test.size()
        + " test pairs (u(t), u(t + 1.0)); MLP " + n + "-200x4-" + n + " + fixed 5-point stencil";
    double[][] reference = new double[Math.min(ROLLOUT, u.shape()[0] - TRAIN_ROWS)][];
    for (int k = 0; k < reference.length; k++) {
      reference[k] = u.slice(TRAIN_ROWS + k);
    }
    return new Setup(description, new SplitProblem(network, stencil), train, test, Loss.mse(),
        new PlateauSchedule(50, 0.75, 1e-6), true, reference, 0.1);
  }

  /** Pairs (u[r], u[r + ahead]) for r in [from, to - ahead) at stride 10. */
  static TrajectoryDataset pairs(NdArray.Doubles u, int from, int to, int ahead) {
    int count = 0;
    for (int r = from; r + ahead < to; r += STRIDE) {
      count++;
    }
    double[][] initial = new double[count][];
    double[][][] targets = new double[count][1][];
    int i = 0;
    for (int r = from; r + ahead < to; r += STRIDE) {
      initial[i] = u.slice(r);
      targets[i][0] = u.slice(r + ahead);
      i++;
    }
    return new TrajectoryDataset(new double[] {HORIZON}, initial, targets);
  }
}

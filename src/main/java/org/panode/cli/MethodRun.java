package org.panode.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import org.panode.experiments.Run;
import org.panode.experiments.Settings;
import org.panode.experiments.Setup;
import org.panode.nn.BlasProfile;
import org.panode.ode.SolveCosts;
import org.panode.train.EpochReport;
import org.panode.train.TrainingListener;

/**
 * Trains one method until the epochs, the target loss or the time limit run out, recording a row
 * per epoch: epoch, wall time (training only), loss, test loss, learning rate, NFE so far.
 */
final class MethodRun {
  final Settings settings;
  final List<double[]> rows = new ArrayList<>();
  SolveCosts costs = SolveCosts.ZERO;
  double seconds;
  /** A resumed run's training seconds before this invocation (--time-limit counts the seconds after them). */
  private double secondsBefore;
  double reachedTarget = Double.NaN;
  int reachedEpoch;
  double testLoss = Double.NaN;
  EpochReport last;
  String stopReason = "epochs done";
  double[] speciesErrors;

  /** Called after each epoch, its row recorded (e.g. to write a checkpoint). */
  interface EpochHook {
    void epochDone(MethodRun run) throws java.io.IOException;
  }

  MethodRun(Settings settings) {
    this.settings = settings;
  }

  /** Continues the history of a resumed run (its rows, seconds, costs, test loss, target). */
  MethodRun continuing(RunCheckpoint c) {
    rows.addAll(c.rows());
    seconds = c.seconds();
    secondsBefore = seconds;
    testLoss = c.testLoss();
    reachedTarget = c.reachedSeconds();
    reachedEpoch = c.reachedEpoch();
    if (c.costs() != null) {
      costs = c.costs();
    }
    return this;
  }

  /** Trains with progress on stderr; the run is left open for the caller's rollout. */
  MethodRun train(Run run, Setup setup, String task, Double targetLoss, double timeLimit, int testEvery, EpochHook hook,
      boolean draw) throws java.io.IOException {
    try (ProgressBar bar = draw ? Progress.bar(task, settings.epochs()) : Progress.silent(task, settings.epochs())) {
      run.trainer().listener(new TrainingListener() {
        @Override
        public void batchFinished(int epoch, int batch, int batches, double loss) {
          bar.setExtraMessage(String.format(Locale.ROOT, "batch %d/%d loss %.3e", batch, batches, loss));
        }

        @Override
        public void epochFinished(EpochReport report) {}
      });
      for (int count = 1; count <= settings.epochs(); count++) {
        BlasProfile.Totals blasBefore = BlasProfile.totals();
        EpochReport report = run.trainer().epoch();
        if (BlasProfile.ON) {
          long solves = report.costs().forward().linearSolves() + report.costs().adjoint().linearSolves();
          double d = setup.dimension();
          BlasProfile.Totals blas = BlasProfile.totals().since(blasBefore);
          double luFlops = 2 * d * d * rankBatch(run) * solves; // this rank's solves, each of its share of a batch
          BlasReport.epoch(report.epoch(), report.seconds(), blas, luFlops);
          BlasReport.againstDgemm(report.epoch(), report.seconds(), blas, luFlops);
        }
        int epoch = report.epoch();
        last = report;
        costs = costs.plus(report.costs());
        seconds += report.seconds();
        boolean reached = targetLoss != null && report.loss() < targetLoss;
        boolean outOfTime = Double.isFinite(timeLimit) && agreedSecondsHere(run) >= timeLimit;
        boolean end = reached || outOfTime || count == settings.epochs();
        if (epoch % testEvery == 0 || end) {
          testLoss = run.trainer().evaluate(setup.test());
        }
        rows.add(new double[] {epoch, seconds, report.loss(), testLoss, report.learningRate(), costs.nfe()});
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3e NFE %,d %.1f s", report.loss(), costs.nfe(), seconds));
        if (reached && reachedEpoch == 0) {
          reachedTarget = seconds;
          reachedEpoch = epoch;
        }
        hook.epochDone(this);
        if (reached) {
          stopReason = "stopped at the target";
          break;
        }
        if (outOfTime) {
          stopReason = String.format(Locale.ROOT, "time limit %.0f s", timeLimit);
          break;
        }
      }
      if (BlasProfile.ON) {
        BlasReport.termAlone(run.solver().problem().nonlinearTerm(), rankBatch(run), 2);
        BlasReport.reference();
      }
    }
    return this;
  }

  /** This rank's share of a mini-batch, as its solves see it (for the BLAS profile). */
  private int rankBatch(Run run) {
    return Math.max(1, settings.batch() / run.trainer().reduction().size());
  }

  /**
   * The mean of the ranks' training seconds in this invocation (a resumed run's earlier ones not
   * counted), so that all ranks stop at the same epoch.
   */
  private double agreedSecondsHere(Run run) {
    double[] total = {seconds - secondsBefore};
    run.trainer().reduction().sum(total);
    return total[0] / run.trainer().reduction().size();
  }

  String csv() {
    StringBuilder csv = new StringBuilder("epoch,seconds,loss,test_loss,learning_rate,nfe\n");
    for (double[] r : rows) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.9e,%.9e,%.6e,%d%n", (long) r[0], r[1], r[2], r[3], r[4], (long) r[5]));
    }
    return csv.toString();
  }

  double[] column(int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }
}

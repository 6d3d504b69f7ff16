package org.panode.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.panode.ode.SolveCosts;
import org.panode.ode.SaveAt;
import org.panode.solve.Gradients;
import org.panode.solve.Solver;
import org.panode.solve.Trajectory;

/**
 * Trains the parameters [theta_J, theta_G] of a {@link Solver}'s split problem (or theta of its
 * implicit problem) on a trajectory dataset. Each epoch shuffles the samples with a seeded generator and, per mini-batch, solves
 * from t = 0 to the output times, takes the loss and dL/du, runs the adjoint and steps the
 * optimizer; then the plateau schedule (if any) sees the epoch's mean loss.
 *
 * <pre>{@code
 * var trainer = new Trainer(solver, data, Loss.mse(), Optimizer.named("adamw", 5e-3, P), 256, 42)
 *     .dropLast(true).schedule(new PlateauSchedule(50, 0.75, 1e-6)).listener(r -> System.out.println(r));
 * trainer.train(200);
 * double testLoss = trainer.evaluate(testData);
 * }</pre>
 *
 * Data-parallel under MPI: with {@link #distributed(GradientReduction)} over N ranks, each rank
 * (running the same code with the same seeds, data and initial parameters) solves and
 * differentiates its {@link Shard} of every mini-batch on its own TS; one sum over the ranks per
 * iteration combines the gradient, the loss and the cost counters (which are then totals over
 * all ranks), and every rank takes the same optimizer step. The result equals one process's up to
 * rounding, whatever N. A batch smaller than N is refused; a rank that throws makes every rank
 * throw a {@link RankFailedException} naming it.
 *
 * <p>Same seeds, data and initial parameters give bit-identical runs, and a run resumed from a
 * checkpoint continues exactly as if uninterrupted. An exception (e.g. a diverged solve) leaves
 * the epoch partly done. Not thread-safe; the Solver stays the caller's to close.
 */
public final class Trainer {
  private final Solver ode;
  private final TrajectoryDataset data;
  private final Loss loss;
  private final Optimizer optimizer;
  private final Parameters parameters;
  private final int batchSize;
  /** dL/dtheta of an iteration, written by each adjoint and read by the optimizer step: one array for the run. */
  private final double[] parameterGradient;
  /** The iteration's initial states, targets, states and dL/du: reused while the shard size stays. */
  private final IterationArrays arrays;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private GradientReduction reduction = GradientReduction.single();
  private boolean dropLast;
  private PlateauSchedule schedule;
  private SplitMix64 shuffle;
  private int epochsDone;
  /** An epoch has started (its shuffle drawn) and not completed: a checkpoint now would not resume exactly. */
  private boolean midEpoch;
  private double bestLoss = Double.POSITIVE_INFINITY;

  public Trainer(Solver ode, TrajectoryDataset data, Loss loss, Optimizer optimizer, int batchSize, long seed) {
    this.ode = Objects.requireNonNull(ode, "ode");
    this.data = Objects.requireNonNull(data, "data");
    this.loss = Objects.requireNonNull(loss, "loss");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    data.requireDimension(ode.dimension(), "the training data");
    this.parameters = Parameters.of(ode.problem());
    if (optimizer.parameterCount() != parameters.count()) {
      throw new IllegalArgumentException("the optimizer was made for " + optimizer.parameterCount()
          + " parameters; the problem has " + parameters.count());
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.parameterGradient = new double[parameters.count()];
    this.arrays = new IterationArrays(data.dimension(), data.times().length);
    this.shuffle = new SplitMix64(seed);
  }

  /** Skip the last, smaller mini-batch of each epoch (off by default). */
  public Trainer dropLast(boolean drop) {
    this.dropLast = drop;
    return this;
  }

  /** Shares every mini-batch among the ranks of {@code ranks} (default: one process). */
  public Trainer distributed(GradientReduction ranks) {
    this.reduction = Objects.requireNonNull(ranks, "reduction");
    requireShards();
    return this;
  }

  /** Every rank must get at least one sample of every mini-batch. */
  private void requireShards() {
    int n = data.size();
    int smallest = dropLast || n % batchSize == 0 ? Math.min(n, batchSize) : n % batchSize;
    if (smallest < reduction.size()) {
      throw new IllegalArgumentException(reduction.size() + " ranks cannot share a mini-batch of " + smallest + " sample"
          + (smallest == 1 ? "" : "s") + " (the data has " + n + ", in batches of " + batchSize + (dropLast ? ", drop-last" : "")
          + "): use at most " + smallest + " rank" + (smallest == 1 ? "" : "s") + " or larger batches");
    }
  }

  public GradientReduction reduction() {
    return reduction;
  }

  public Trainer schedule(PlateauSchedule plateau) {
    this.schedule = Objects.requireNonNull(plateau);
    return this;
  }

  public Trainer listener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  public Parameters parameters() {
    return parameters;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public int epochsDone() {
    return epochsDone;
  }

  /** The lowest epoch mean loss so far (+Inf before the first epoch). */
  public double bestLoss() {
    return bestLoss;
  }

  /** Runs {@code epochs} more epochs. */
  public List<EpochReport> train(int epochs) {
    List<EpochReport> reports = new ArrayList<>(epochs);
    for (int e = 0; e < epochs; e++) {
      reports.add(epoch());
    }
    return reports;
  }

  /** Runs one epoch over shuffled mini-batches. */
  public EpochReport epoch() {
    int n = data.size();
    int batches = n / batchSize + (!dropLast && n % batchSize != 0 ? 1 : 0); // no overflow for a batch size near 2^31
    if (batches == 0) {
      throw new IllegalStateException("with drop-last, " + n + " samples make no full batch of " + batchSize);
    }
    requireShards();
    long began = System.nanoTime();
    int[] order = shuffle.permutation(n);
    midEpoch = true;
    double rate = optimizer.learningRate();
    SaveAt saveAt = SaveAt.times(data.times());
    SolveCosts costs = SolveCosts.ZERO;
    double weighted = 0;
    int samples = 0;
    for (int b = 0; b < batches; b++) {
      int from = b * batchSize, to = Math.min(n, from + batchSize), m = to - from;
      Shard shard = Shard.of(from, to, reduction.rank(), reduction.size());
      RankSum sum = new RankSum(reduction, parameters.count());
      try {
        InjectedFault.check(reduction.rank(), epochsDone + 1, b + 1, false);
        IterationArrays own = arrays.forSamples(shard.count());
        double[][] target = data.targets(order, shard.from(), shard.to(), own.targets);
        double[] u0 = data.initialStates(order, shard.from(), shard.to(), own.initialStates);
        try (Trajectory solution = ode.solveForGradient(u0, shard.count(), saveAt)) {
          double[][] states = solution.states(own.states);
          // The shard's mean loss weighted by its share is its part of the batch mean (weight 1 alone).
          sum.addLoss(loss.value(states, target) * shard.weight());
          double[][] lossGradient = loss.gradient(states, target, own.lossGradient);
          Gradients gradients = solution.gradient(scaled(lossGradient, shard.weight()), parameterGradient, own.initialStateGradient);
          sum.addGradient(gradients.parameters());
          sum.addCosts(new SolveCosts(solution.costs(), gradients.costs()));
        }
      } catch (RuntimeException | Error e) { // an Error too: the other ranks wait for this one's sum
        sum.fail(e);
      }
      sum.reduce("in epoch " + (epochsDone + 1) + ", batch " + (b + 1));
      InjectedFault.check(reduction.rank(), epochsDone + 1, b + 1, true);
      double value = sum.loss();
      optimizer.step(parameters, sum.gradient(), epochsDone);
      costs = costs.plus(sum.costs());
      weighted += value * m;
      samples += m;
      for (TrainingListener l : listeners) {
        l.batchFinished(epochsDone + 1, b + 1, batches, value);
      }
    }
    epochsDone++;
    midEpoch = false;
    double mean = weighted / samples;
    if (mean < bestLoss) {
      bestLoss = mean;
    }
    if (schedule != null) {
      optimizer.learningRate(schedule.next(mean, rate));
    }
    var report = new EpochReport(epochsDone, mean, batches, rate, (System.nanoTime() - began) / 1e9, costs);
    for (TrainingListener l : listeners) {
      l.epochFinished(report);
    }
    return report;
  }

  /** The mean loss on a dataset, forward solves only, in batches of the training batch size. */
  public double evaluate(TrajectoryDataset test) {
    test.requireDimension(ode.dimension(), "the evaluation data");
    int n = test.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SaveAt saveAt = SaveAt.times(test.times());
    RankSum sum = new RankSum(reduction, 0);
    try {
      for (int from = 0; from < n; from += batchSize) {
        Shard shard = Shard.of(from, Math.min(n, from + batchSize), reduction.rank(), reduction.size());
        if (shard.count() > 0) {
          try (Trajectory solution = ode.solve(test.initialStates(order, shard.from(), shard.to()), shard.count(), saveAt)) {
            sum.addLoss(loss.value(solution.states(), test.targets(order, shard.from(), shard.to())) * shard.count());
          }
        }
      }
    } catch (RuntimeException | Error e) {
      sum.fail(e);
    }
    sum.reduce("evaluating");
    return sum.loss() / n;
  }

  private static double[][] scaled(double[][] values, double factor) {
    if (factor != 1) {
      for (double[] row : values) {
        for (int i = 0; i < row.length; i++) {
          row[i] *= factor;
        }
      }
    }
    return values;
  }

  /** The state to resume from. */
  public TrainingCheckpoint checkpoint() {
    return checkpoint(null, null);
  }

  /**
   * The state to resume from, its parameters and optimizer state copied into the given arrays
   * (null: new ones): a caller that writes a checkpoint every epoch reuses its arrays instead of
   * taking fresh memory each time (38 MB at Burgers 512).
   */
  public TrainingCheckpoint checkpoint(double[] parametersInto, double[] optimizerStateInto) {
    if (midEpoch) {
      throw new IllegalStateException("a checkpoint holds whole epochs, and epoch " + (epochsDone + 1) + " is under way or"
          + " failed midway (its shuffle and some of its steps are done): take it after a completed epoch");
    }
    return new TrainingCheckpoint(epochsDone, bestLoss, shuffle.state(), data.size(), batchSize,
        parametersInto == null ? parameters.get() : parameters.get(parametersInto), optimizer.name(),
        optimizer.iteration(), optimizer.learningRate(),
        optimizerStateInto == null ? optimizer.state() : optimizer.state(optimizerStateInto),
        schedule == null ? null : schedule.state());
  }

  /** Writes {@link #checkpoint()} to {@code file} atomically. */
  public void saveCheckpoint(Path file) throws IOException {
    checkpoint().write(file);
  }

  /** Resumes from a checkpoint file; a foreign, corrupt or mismatched one throws and changes nothing. */
  public void resume(Path file) throws IOException {
    TrainingCheckpoint c = TrainingCheckpoint.read(file);
    try {
      resume(c);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Resumes from a checkpoint made by a trainer with the same set-up; a mismatch throws and changes nothing. */
  public void resume(TrainingCheckpoint c) {
    requireCompatible(c);
    parameters.set(c.parameters());
    optimizer.restore(c.optimizerState(), c.iteration(), c.learningRate());
    if (schedule != null) {
      schedule.restore(c.schedule());
    }
    shuffle = new SplitMix64(c.shuffleState());
    epochsDone = c.epoch();
    bestLoss = c.bestLoss();
  }

  private void requireCompatible(TrainingCheckpoint c) {
    if (c.parameters().length != parameters.count()) {
      throw new IllegalArgumentException("the checkpoint has " + c.parameters().length + " parameters; the model has "
          + parameters.count());
    }
    for (int i = 0; i < c.parameters().length; i++) {
      if (!Double.isFinite(c.parameters()[i])) {
        throw new IllegalArgumentException("checkpoint parameter " + i + " is " + c.parameters()[i]);
      }
    }
    if (!c.optimizer().equals(optimizer.name()) || c.optimizerState().length != optimizer.stateSize()) {
      throw new IllegalArgumentException("the checkpoint's optimizer is " + c.optimizer() + " with " + c.optimizerState().length
          + " state values; this trainer's is " + optimizer.name() + " with " + optimizer.stateSize());
    }
    if (c.iteration() < 0 || c.epoch() < 0 || !(c.learningRate() > 0) || !Double.isFinite(c.learningRate())) {
      throw new IllegalArgumentException("invalid checkpoint: epoch " + c.epoch() + ", iteration " + c.iteration()
          + ", learning rate " + c.learningRate());
    }
    if ((c.schedule() == null) != (schedule == null)) {
      throw new IllegalArgumentException(c.schedule() == null ? "the checkpoint has no plateau schedule; this trainer has one"
          : "the checkpoint has a plateau schedule; this trainer has none");
    }
    if (c.sampleCount() != data.size() || c.batchSize() != batchSize) {
      throw new IllegalArgumentException("the checkpoint was made on " + c.sampleCount() + " samples in batches of "
          + c.batchSize() + "; this trainer has " + data.size() + " in batches of " + batchSize);
    }
  }
}

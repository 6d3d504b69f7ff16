package org.panode.grand;

import java.util.SplittableRandom;
import org.panode.data.CitationGraph;
import org.panode.data.NodeSplit;
import org.panode.ode.SolveCosts;
import org.panode.train.Optimizer;

/**
 * Full-batch training of a {@link GrandModel}: per epoch one loss-and-gradient pass on the training
 * nodes (dropout on, masks from the seed and the epoch), L2 weight decay added to the gradient as
 * PyTorch's optimizers do (g += decay theta), one optimizer step, then an evaluation pass without
 * dropout giving the accuracies. The seconds reported are the training passes' wall time (the
 * evaluation pass is not counted); costs are those of the training pass (forward and adjoint).
 */
public final class GrandTraining implements AutoCloseable {
  private final GrandModel model;
  private final NodeSplit split;
  private final GrandConfig config;
  private final Optimizer optimizer;
  private final double[] gradient;
  private int epoch;
  private double seconds;
  private SolveCosts costs = SolveCosts.ZERO;
  private Epoch best;

  /**
   * One epoch's outcome: accuracies of the model after the step, training loss before it, the
   * cumulative training seconds and costs, the epoch's own costs.
   */
  public record Epoch(int epoch, double seconds, double loss, double trainAccuracy, double validationAccuracy,
      double testAccuracy, double diffusionRate, SolveCosts costs, SolveCosts totalCosts) {}

  public GrandTraining(CitationGraph graph, NodeSplit split, GrandConfig config) {
    this.model = new GrandModel(graph, config);
    this.split = split;
    this.config = config;
    this.optimizer = Optimizer.named("adamax", config.learningRate(), model.parameters().count());
    this.gradient = new double[model.parameters().count()];
  }

  public GrandModel model() {
    return model;
  }

  /** One optimizer step and an evaluation. */
  public Epoch epoch() {
    epoch++;
    long began = System.nanoTime();
    long dropoutSeed = new SplittableRandom(config.seed()).split().nextLong() ^ (0x9E3779B97F4A7C15L * epoch);
    GrandModel.Step step = model.lossAndGradient(split.train(), dropoutSeed, gradient);
    if (config.weightDecay() > 0) {
      double[] theta = model.parameters().get();
      for (int i = config.learnAlpha() ? 0 : 1; i < theta.length; i++) {
        gradient[i] += config.weightDecay() * theta[i];
      }
    }
    optimizer.step(model.parameters(), gradient, epoch);
    seconds += (System.nanoTime() - began) / 1e9;
    costs = costs.plus(step.costs());
    double[] logits = model.evaluate().logits();
    int[] labels = model.graph().labels();
    int c = model.graph().classes();
    Epoch e = new Epoch(epoch, seconds, step.loss(), NodeCrossEntropy.accuracy(logits, c, labels, split.train()),
        NodeCrossEntropy.accuracy(logits, c, labels, split.validation()),
        NodeCrossEntropy.accuracy(logits, c, labels, split.test()), model.diffusionRate(), step.costs(), costs);
    if (best == null || e.validationAccuracy() > best.validationAccuracy()) {
      best = e;
    }
    return e;
  }

  /** The epoch with the best validation accuracy so far (the first of equals); null before any. */
  public Epoch bestValidation() {
    return best;
  }

  @Override
  public void close() {
    model.close();
  }
}

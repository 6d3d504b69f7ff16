package org.panode.train;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.panode.nn.BatchThreads;

/**
 * A gradient-descent optimizer on a flat parameter vector, by ND4J's updaters: the gradient goes
 * through {@link GradientUpdater#applyUpdater} and params -= update. "adamw" is ND4J's Adam with
 * decoupled weight decay (ND4J's {@link WeightDecay} scaled by the learning rate, applied after the
 * updater: update += lr * decay * params), which is PyTorch's AdamW. Each step copies the
 * parameters into an ND4J array and back (two memcpy), so the terms' segments may live anywhere.
 * Not thread-safe.
 */
public final class Optimizer {
  static {
    org.panode.nn.SystemOpenBlas.loadFirst(); // before ND4J's OpenBLAS: see SystemOpenBlas
  }

  /** The names {@link #named} knows. */
  public static final List<String> NAMES = List.of("adam", "adamw", "adamax", "rmsprop");
  /** PyTorch's default AdamW weight decay. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  /** The shortest part of an element-wise pass given to a batch thread. */
  private static final int MIN_PART = 1 << 15;
  /** Doubles per cache-sized chunk of the Adam pass (parameters, moments and gradient: 160 kB). */
  private static final int CHUNK = 4096;

  private final String name;
  private final IUpdater config;
  private final WeightDecay weightDecay;
  private final int count;
  private final INDArray params;
  private final INDArray update;
  private final INDArray state;
  private final MemorySegment paramsView;
  private final MemorySegment updateView;
  private final MemorySegment stateView;
  private final GradientUpdater<?> updater;
  /** Adam's moments and a parameter buffer (null for the other updaters, which keep ND4J's state). */
  private final double[] adamM;
  private final double[] adamV;
  private final double[] adamParameters;
  private int iteration;

  private Optimizer(String name, IUpdater config, double decay, int parameterCount) {
    if (parameterCount <= 0) {
      throw new IllegalArgumentException("nothing to optimize: " + parameterCount + " parameters");
    }
    this.name = name;
    this.config = config;
    this.weightDecay = decay > 0 ? new WeightDecay(decay, true) : null;
    this.count = parameterCount;
    boolean adam = config instanceof Adam;
    // ND4J's arrays only for the updaters that run through ND4J (Adam keeps its moments in Java)
    this.params = adam ? null : Nd4j.zeros(DataType.DOUBLE, 1, count);
    this.update = adam ? null : Nd4j.zeros(DataType.DOUBLE, 1, count);
    this.state = adam ? null : Nd4j.zeros(DataType.DOUBLE, 1, config.stateSize(count));
    this.paramsView = adam ? null : view(params);
    this.updateView = adam ? null : view(update);
    this.stateView = adam ? null : view(state);
    this.updater = adam ? null : config.instantiate(state, true);
    this.adamM = adam ? new double[count] : null;
    this.adamV = adam ? new double[count] : null;
    this.adamParameters = adam ? new double[count] : null;
  }

  /** A segment aliasing the array's native buffer (the array field keeps it alive). */
  private static MemorySegment view(INDArray array) {
    return MemorySegment.ofAddress(array.data().addressPointer().address()).reinterpret(8L * array.length());
  }

  /**
   * An optimizer by name (case-insensitive): adam, adamw (weight decay {@value #DEFAULT_WEIGHT_DECAY}),
   * adamax, rmsprop, with ND4J's default betas, decay rates and epsilons.
   */
  public static Optimizer named(String name, double learningRate, int parameterCount) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    checkRate(learningRate);
    return switch (n) {
      case "adam" -> new Optimizer(n, new Adam(learningRate), 0, parameterCount);
      case "adamw" -> adamW(learningRate, DEFAULT_WEIGHT_DECAY, parameterCount);
      case "adamax" -> new Optimizer(n, new AdaMax(learningRate), 0, parameterCount);
      case "rmsprop" -> new Optimizer(n, new RmsProp(learningRate), 0, parameterCount);
      default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }

  /** AdamW with the given decoupled weight decay (>= 0). */
  public static Optimizer adamW(double learningRate, double weightDecay, int parameterCount) {
    checkRate(learningRate);
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0 and finite, got " + weightDecay);
    }
    return new Optimizer("adamw", new Adam(learningRate), weightDecay, parameterCount);
  }

  private static void checkRate(double learningRate) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
    }
  }

  public String name() {
    return name;
  }

  public int parameterCount() {
    return count;
  }

  /** Steps taken so far (ND4J's iteration number of the next step; Adam's bias correction uses it). */
  public int iteration() {
    return iteration;
  }

  public double learningRate() {
    return config.getLearningRate(iteration, 0);
  }

  public void learningRate(double rate) {
    checkRate(rate);
    config.setLrAndSchedule(rate, null);
  }

  /**
   * One step: params -= update(gradient). A gradient with NaN or Inf is refused with an
   * ArithmeticException before anything changes.
   */
  public void step(Parameters parameters, double[] gradient, int epoch) {
    if (parameters.count() != count || gradient.length != count) {
      throw new IllegalArgumentException("the optimizer has " + count + " parameters; got " + parameters.count()
          + " parameters and a gradient of " + gradient.length);
    }
    int bad = BatchThreads.firstNonFinite(gradient);
    if (bad >= 0) {
      throw new ArithmeticException("gradient entry " + bad + " is " + gradient[bad] + "; parameters left unchanged");
    }
    double rate = config.getLearningRate(iteration, epoch);
    if (config instanceof Adam adam) {
      adamStep(adam, parameters, gradient, rate);
      iteration++;
      return;
    }
    MemorySegment.copy(gradient, 0, updateView, D, 0, count);
    parameters.copyTo(paramsView);
    updater.applyUpdater(update, iteration, epoch);
    if (weightDecay != null) {
      weightDecay.apply(params, update, rate, iteration, epoch);
    }
    params.subi(update);
    parameters.copyFrom(paramsView);
    iteration++;
  }

  /**
   * Adam, and AdamW's decoupled decay, as ND4J computes them (its adam_updater op: m = b1 m + g (1 -
   * b1), v = b2 v + g g (1 - b2), update = m alpha / (sqrt(v) + eps) with alpha = lr sqrt(1 - b2^t) /
   * (1 - b1^t), or eps when alpha is 0 or not finite; then update += lr decay p, p -= update), bit for
   * bit, in one pass over Java arrays (the moments live in {@link #adamM} and {@link #adamV}; the
   * parameters are copied in and out): a loop over heap arrays that C2 vectorizes, 2x faster than the
   * same pass over native segments with the copies included. The ND4J path reads and writes the
   * parameter vector about 19 times per step.
   */
  private void adamStep(Adam adam, Parameters parameters, double[] g, double rate) {
    double b1 = adam.getBeta1(), b2 = adam.getBeta2(), eps = adam.getEpsilon();
    double alpha = rate * Math.sqrt(1.0 - Math.pow(b2, iteration + 1)) / (1.0 - Math.pow(b1, iteration + 1));
    if (!Double.isFinite(alpha) || alpha == 0) {
      alpha = eps;
    }
    double decay = weightDecay == null ? 0 : rate * weightDecay.getCoeff().valueAt(iteration, 0);
    double c1 = 1 - b1, c2 = 1 - b2;
    double[] m = adamM, v = adamV, p = adamParameters;
    double a = alpha;
    // Each thread's part in chunks that stay in cache: parameters in, the update, parameters out.
    BatchThreads.range(count, MIN_PART, (from, to) -> {
      for (int lo = from; lo < to; lo += CHUNK) {
        int hi = Math.min(to, lo + CHUNK);
        parameters.copyTo(p, lo, hi);
        for (int k = lo; k < hi; k++) {
          double gk = g[k];
          double mk = b1 * m[k] + gk * c1;
          double vk = b2 * v[k] + gk * gk * c2;
          m[k] = mk;
          v[k] = vk;
          double pk = p[k];
          double u = mk * a / (Math.sqrt(vk) + eps);
          if (decay != 0) {
            u = decay * pk + u;
          }
          p[k] = pk - u;
        }
        parameters.copyFrom(p, lo, hi);
      }
    });
  }

  /** The number of values in the updater's state. */
  public int stateSize() {
    return (int) config.stateSize(count);
  }

  /** A copy of the updater's state (e.g. Adam's moments, in ND4J's layout: m, then v). */
  public double[] state() {
    return state(new double[stateSize()]);
  }

  /** The updater's state copied into {@code into} (of {@link #stateSize()} doubles); returns it. */
  public double[] state(double[] into) {
    if (into.length != stateSize()) {
      throw new IllegalArgumentException(name + " over " + count + " parameters has a state of " + stateSize()
          + " values; got an array of " + into.length);
    }
    if (adamM != null) {
      System.arraycopy(adamM, 0, into, 0, count);
      System.arraycopy(adamV, 0, into, count, count);
    } else {
      MemorySegment.copy(stateView, D, 0, into, 0, into.length);
    }
    return into;
  }

  /** Restores a state, iteration and learning rate taken from an optimizer of the same name and size. */
  public void restore(double[] savedState, int savedIteration, double rate) {
    if (savedState.length != stateSize()) {
      throw new IllegalArgumentException(name + " over " + count + " parameters has a state of "
          + stateSize() + " values, got " + savedState.length);
    }
    if (savedIteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + savedIteration);
    }
    checkRate(rate);
    if (adamM != null) {
      System.arraycopy(savedState, 0, adamM, 0, count);
      System.arraycopy(savedState, count, adamV, 0, count);
    } else {
      MemorySegment.copy(savedState, 0, stateView, D, 0, savedState.length);
    }
    iteration = savedIteration;
    learningRate(rate);
  }
}

package org.panode.grand;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.panode.data.CitationGraph;
import org.panode.nn.Dense;
import org.panode.ode.Method;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SolveCosts;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.solve.Gradients;
import org.panode.solve.LinearSolver;
import org.panode.solve.Solver;
import org.panode.solve.SolverConfig;
import org.panode.solve.Trajectory;
import org.panode.ode.SaveAt;
import org.panode.train.Parameters;

/**
 * GRAND (Chamberlain et al. 2021) as a semi-implicit neural ODE on a graph of N nodes: input
 * dropout, encoder Dense F -> h, the ODE dx/dt = sigmoid(alpha) (A(x) - I) x from 0 to T split as
 * explicit {@link AttentionDiffusion} sigmoid(alpha) A(x) x plus implicit {@link Decay}
 * -sigmoid(alpha) x, ReLU, dropout, decoder Dense h -> C. The ODE state is the N x h hidden features,
 * node-major, one sample of dimension N h. Gradients: decoder and encoder by hand, the ODE by
 * {@link org.panode.solve.Trajectory#gradient} (TSAdjoint). Trainable parameters, flat: [alpha, W_Q, W_K, encoder W,
 * encoder b, decoder W, decoder b]. Dropout masks come from a seed passed per step, so a step is a
 * deterministic function of the parameters and that seed. Not thread-safe.
 */
public final class GrandModel implements AutoCloseable {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final CitationGraph graph;
  private final GrandConfig config;
  private final int n;
  private final int hidden;
  private final int classes;
  private final Dense encoder;
  private final Dense decoder;
  private final MemorySegment encoderParameters;
  private final MemorySegment decoderParameters;
  private final AttentionDiffusion diffusion;
  private final SplitProblem problem;
  private final Solver solver;
  private final Parameters parameters;
  private final MemorySegment features;
  private final MemorySegment input;
  private final MemorySegment encoded;
  private final MemorySegment decoderInput;
  private final MemorySegment logits;
  private final MemorySegment logitGradient;
  private final MemorySegment decoderInputGradient;
  private final MemorySegment stateGradient;

  /** The outcome of one forward pass: logits (N x C) and the ODE's costs. */
  public record Pass(double[] logits, SolveCosts costs) {}

  /** A training step's loss on the training nodes, its logits and costs; the gradient went to the caller's array. */
  public record Step(double loss, double[] logits, SolveCosts costs) {}

  public GrandModel(CitationGraph graph, GrandConfig config) {
    this.graph = graph;
    this.config = config;
    this.n = graph.nodes();
    this.hidden = config.hidden();
    this.classes = graph.classes();
    SplittableRandom random = new SplittableRandom(config.seed());
    Arena arena = Arena.ofAuto();
    int f = graph.featureCount();
    // PyTorch's default Linear weights have std 1/sqrt(3 fan_in); so do these (normal draws).
    this.encoder = new Dense(f, hidden, 1 / Math.sqrt(3.0 * f));
    this.decoder = new Dense(hidden, classes, 1 / Math.sqrt(3.0 * hidden));
    this.encoderParameters = arena.allocate(8L * encoder.parameterCount(), 64);
    this.decoderParameters = arena.allocate(8L * decoder.parameterCount(), 64);
    encoder.initialize(encoderParameters, random.split());
    decoder.initialize(decoderParameters, random.split());
    int[][] edges = graph.withSelfLoops();
    this.diffusion = new AttentionDiffusion(n, hidden, edges[0], edges[1], config.heads(), config.keySize(),
        1 / Math.sqrt(3.0 * hidden), config.alpha(), random.nextLong());
    this.problem = new SplitProblem(diffusion, new Decay(diffusion));
    Method method = Method.parse(config.method());
    this.solver = Solver.of(problem, SolverConfig.builder(method, StepControl.fixed(config.step()))
        .linearSolver(LinearSolver.gmres(config.kspTolerance())).build());
    this.parameters = Parameters.of(diffusion.parameters(), encoderParameters, decoderParameters);
    this.features = arena.allocate(8L * n * f, 64);
    MemorySegment.copy(graph.features(), 0, features, D, 0, graph.features().length);
    this.input = arena.allocate(8L * n * f, 64);
    this.encoded = arena.allocate(8L * n * hidden, 64);
    this.decoderInput = arena.allocate(8L * n * hidden, 64);
    this.logits = arena.allocate(8L * n * classes, 64);
    this.logitGradient = arena.allocate(8L * n * classes, 64);
    this.decoderInputGradient = arena.allocate(8L * n * hidden, 64);
    this.stateGradient = arena.allocate(8L * n * hidden, 64);
  }

  /** The trainable parameters, read and written in place (the optimizer's view). */
  public Parameters parameters() {
    return parameters;
  }

  public SplitProblem problem() {
    return problem;
  }

  public CitationGraph graph() {
    return graph;
  }

  /** The diffusion rate sigmoid(alpha). */
  public double diffusionRate() {
    return AttentionDiffusion.sigmoid(diffusion.alpha());
  }

  /** Logits without dropout (evaluation). */
  public Pass evaluate() {
    try (Forward fw = forward(false, false, null)) {
      return new Pass(fw.logits, new SolveCosts(fw.solution.costs(), PhaseCosts.ZERO));
    }
  }

  /** The training loss of {@link #lossAndGradient} (same masks, same discrete solve) without the gradient. */
  public double loss(int[] nodes, long dropoutSeed) {
    try (Forward fw = forward(false, true, new SplittableRandom(dropoutSeed))) {
      return NodeCrossEntropy.loss(fw.logits, classes, graph.labels(), nodes, null);
    }
  }

  /**
   * The mean cross-entropy on the given nodes with dropout masks drawn from dropoutSeed, and its
   * gradient with respect to {@link #parameters()} written into {@code gradient}.
   */
  public Step lossAndGradient(int[] nodes, long dropoutSeed, double[] gradient) {
    if (gradient.length != parameters.count()) {
      throw new IllegalArgumentException("the gradient needs " + parameters.count() + " values, got " + gradient.length);
    }
    try (Forward fw = forward(true, true, new SplittableRandom(dropoutSeed))) {
      return lossAndGradient(fw, nodes, gradient);
    }
  }

  private Step lossAndGradient(Forward fw, int[] nodes, double[] gradient) {
    double[] gLogits = new double[n * classes];
    double loss = NodeCrossEntropy.loss(fw.logits, classes, graph.labels(), nodes, gLogits);
    MemorySegment.copy(gLogits, 0, logitGradient, D, 0, gLogits.length);
    // The parameter layout: [alpha, W_Q, W_K | encoder | decoder].
    int pOde = diffusion.parameterCount(), pEnc = encoder.parameterCount(), pDec = decoder.parameterCount();
    MemorySegment decGrad = Arena.ofAuto().allocate(8L * pDec, 64);
    decoder.backward(decoderParameters, decoderInput, logits, logitGradient, decoderInputGradient, decGrad, n);
    // Through dropout and the ReLU to dL/dx(T).
    double[] uT = fw.solution.state(0);
    double[] gU = new double[n * hidden];
    for (int i = 0; i < gU.length; i++) {
      gU[i] = uT[i] > 0 ? decoderInputGradient.getAtIndex(D, i) * fw.keep[i] : 0;
    }
    Gradients g = fw.solution.gradient(new double[][] {gU});
    double[] p = g.parameters(); // [alpha (J), alpha, W_Q, W_K (G)]
    gradient[0] = config.learnAlpha() ? p[0] + p[1] : 0;
    System.arraycopy(p, 2, gradient, 1, pOde - 1);
    MemorySegment.copy(g.initialState(), 0, stateGradient, D, 0, n * hidden);
    MemorySegment encGrad = Arena.ofAuto().allocate(8L * pEnc, 64);
    encoder.backward(encoderParameters, fw.encoderInput, encoded, stateGradient, null, encGrad, n);
    MemorySegment.copy(encGrad, D, 0, gradient, pOde, pEnc);
    MemorySegment.copy(decGrad, D, 0, gradient, pOde + pEnc, pDec);
    return new Step(loss, fw.logits, new SolveCosts(fw.solution.costs(), g.costs()));
  }

  private record Forward(MemorySegment encoderInput, Trajectory solution, double[] keep, double[] logits) implements AutoCloseable {
    @Override
    public void close() {
      solution.close();
    }
  }

  private Forward forward(boolean forGradient, boolean training, SplittableRandom random) {
    int f = graph.featureCount();
    MemorySegment x = features;
    if (training && config.inputDropout() > 0) {
      dropout(features, input, (long) n * f, config.inputDropout(), random);
      x = input;
    }
    encoder.forward(encoderParameters, x, encoded, n);
    double[] u0 = encoded.toArray(D);
    SaveAt end = SaveAt.times(config.time());
    Trajectory solution = forGradient ? solver.solveForGradient(u0, 1, end) : solver.solve(u0, 1, end);
    double[] uT = solution.state(0);
    double[] keep = new double[n * hidden];
    java.util.Arrays.fill(keep, 1);
    if (training && config.dropout() > 0) {
      double scale = 1 / (1 - config.dropout());
      for (int i = 0; i < keep.length; i++) {
        keep[i] = random.nextDouble() < config.dropout() ? 0 : scale;
      }
    }
    for (int i = 0; i < uT.length; i++) {
      decoderInput.setAtIndex(D, i, Math.max(uT[i], 0) * keep[i]);
    }
    decoder.forward(decoderParameters, decoderInput, logits, n);
    return new Forward(x, solution, keep, logits.toArray(D));
  }

  /** out = in * mask / (1 - p), mask Bernoulli(1 - p). */
  private static void dropout(MemorySegment in, MemorySegment out, long count, double p, SplittableRandom random) {
    double scale = 1 / (1 - p);
    for (long i = 0; i < count; i++) {
      double k = random.nextDouble() < p ? 0 : scale;
      out.setAtIndex(D, i, k * in.getAtIndex(D, i));
    }
  }

  @Override
  public void close() {
    solver.close();
  }
}

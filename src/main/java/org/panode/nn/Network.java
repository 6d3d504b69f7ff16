package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.panode.ode.Shapes;
import org.panode.ode.Term;

/**
 * A chain of {@link Layer}s from R^d to R^d as a {@link Term}. All parameters live in one flat native
 * buffer ({@link #parameters()}), layer after layer; each call reads them there, and gradients go
 * straight into the caller's segment. Intermediate results live in buffers kept per batch size. The
 * time argument is ignored. Not thread-safe; segments passed must not overlap.
 */
public final class Network implements Term {
  private final Layer[] layers;
  private final MemorySegment parameters;
  private final MemorySegment[] layerParameters;
  private final long[] offsets;
  private final int dimension;
  private final int parameterCount;
  private final int firstParametrized;
  private final BatchCache<Buffers> buffers;
  /** Forward passes kept for the JVPs and VJPs at the same state; null when a layer keeps forward state itself. */
  private final ForwardTape<Buffers> tape;

  /** The network of these layers, parameters initialized by each layer from a generator seeded with seed. */
  public Network(long seed, List<? extends Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    this.layers = layers.toArray(new Layer[0]);
    this.dimension = this.layers[0].inputSize();
    this.offsets = new long[this.layers.length + 1];
    int first = this.layers.length;
    for (int i = 0; i < this.layers.length; i++) {
      Layer layer = this.layers[i];
      int expected = i == 0 ? dimension : this.layers[i - 1].outputSize();
      if (layer.inputSize() != expected) {
        throw new IllegalArgumentException("layer " + i + " (" + layer.getClass().getSimpleName() + ") takes "
            + layer.inputSize() + " inputs, but gets " + expected);
      }
      for (int j = 0; j < i; j++) {
        if (this.layers[j] == layer) {
          // A layer may keep its forward's intermediates for the backward pass (see Layer).
          throw new IllegalArgumentException("layers " + j + " and " + i + " are the same object; use separate instances");
        }
      }
      if (layer.parameterCount() > 0 && first == this.layers.length) {
        first = i;
      }
      offsets[i + 1] = offsets[i] + layer.parameterCount();
    }
    Layer last = this.layers[this.layers.length - 1];
    if (last.outputSize() != dimension) {
      throw new IllegalArgumentException("a term maps R^d to R^d: the network takes " + dimension
          + " inputs but gives " + last.outputSize() + " outputs");
    }
    if (offsets[this.layers.length] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many parameters: " + offsets[this.layers.length]);
    }
    this.parameterCount = (int) offsets[this.layers.length];
    this.firstParametrized = first;
    this.parameters = Arena.ofAuto().allocate(8L * parameterCount, 64);
    this.layerParameters = new MemorySegment[this.layers.length];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < this.layers.length; i++) {
      layerParameters[i] = parameters.asSlice(8 * offsets[i], 8 * (offsets[i + 1] - offsets[i]));
      this.layers[i].initialize(layerParameters[i], random);
    }
    this.buffers = new BatchCache<>(Buffers::new);
    long activationBytes = 0;
    boolean replayable = true;
    for (Layer layer : this.layers) {
      activationBytes += 8L * layer.outputSize();
      replayable &= !layer.keepsForwardState();
    }
    this.tape = replayable ? new ForwardTape<>(Buffers::new, 8L * dimension, activationBytes, 8L * parameterCount,
        DEFAULT_REMEMBERED_BYTES) : null;
  }

  /** The default of {@link #maxRememberedBytes}: 1 GiB. */
  public static final long DEFAULT_REMEMBERED_BYTES = 1L << 30;

  /**
   * The most native memory that forward passes remembered for later JVPs and VJPs may hold (see
   * {@link #rememberEvaluations}); past it, those recompute their forward pass. 0 turns remembering off.
   */
  public Network maxRememberedBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a memory budget must be >= 0, got " + bytes);
    }
    if (tape != null) {
      tape.budget(bytes);
    }
    return this;
  }

  /**
   * While on, every {@link #value} keeps its layers' outputs (about 8 bytes x batch x the sum of the
   * layer widths), and a JVP or VJP at the same u and unchanged parameters uses them instead of
   * running the forward pass again: the adjoint of a solve then costs one backward pass per stage,
   * not a forward and a backward. Off forgets them. Networks with a layer that keeps its own
   * forward state (graph attention) always recompute.
   */
  @Override
  public void rememberEvaluations(boolean on) {
    if (tape == null) {
      return;
    }
    if (on) {
      tape.start(parameters);
    } else {
      tape.stop();
    }
  }

  @Override
  public long rememberedBytes(int batch, long evaluations) {
    return tape == null ? 0 : tape.bytesFor(batch, evaluations);
  }

  /**
   * A multilayer perceptron in -> hidden... -> out (in = out), the activation after every hidden
   * layer and none after the last; weights N(0, initStd^2), biases zero.
   */
  public static Network mlp(int in, int[] hidden, int out, Activation activation, long seed, double initStd) {
    List<Layer> layers = new ArrayList<>();
    int width = in;
    for (int h : hidden) {
      layers.add(new Dense(width, h, initStd));
      layers.add(activation.layer(h));
      width = h;
    }
    layers.add(new Dense(width, out, initStd));
    return new Network(seed, layers);
  }

  /** The layers, first to last. */
  public List<Layer> layers() {
    return List.of(layers);
  }

  /** Where layer i's parameters start in {@link #parameters()}. */
  public long parameterOffset(int layer) {
    return offsets[layer];
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public MemorySegment parameters() {
    return parameters;
  }

  @Override
  public void value(double t, MemorySegment u, int batch, MemorySegment out) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(out, batch, dimension, "out");
    Buffers kept = tape == null ? null : tape.record(u, batch);
    if (kept != null) {
      forward(u, kept, batch);
      MemorySegment.copy(kept.activation(layers.length), 0, out, 0, 8L * batch * dimension);
      return;
    }
    Buffers b = buffers.get(batch);
    MemorySegment x = u;
    for (int i = 0; i < layers.length; i++) {
      MemorySegment y = i == layers.length - 1 ? out : b.activation(i + 1);
      layers[i].forward(layerParameters[i], x, y, batch);
      x = y;
    }
  }

  /** Runs the forward pass at u into a's activations 1..L. */
  private void forward(MemorySegment u, Buffers a, int batch) {
    MemorySegment x = u;
    for (int i = 0; i < layers.length; i++) {
      layers[i].forward(layerParameters[i], x, a.activation(i + 1), batch);
      x = a.activation(i + 1);
    }
  }

  /** The activations of the forward pass at u: remembered, or computed now into b. */
  private Buffers activations(MemorySegment u, Buffers b, int batch) {
    Buffers kept = tape == null ? null : tape.find(u, batch);
    if (kept != null) {
      return kept;
    }
    forward(u, b, batch);
    return b;
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(v, batch, dimension, "v");
    Shapes.check(out, batch, dimension, "out");
    Buffers b = buffers.get(batch);
    Buffers a = activations(u, b, batch);
    MemorySegment x = u, tx = v;
    for (int i = 0; i < layers.length; i++) {
      MemorySegment y = a.activation(i + 1);
      MemorySegment ty = i == layers.length - 1 ? out : b.tangent(i + 1);
      layers[i].tangent(layerParameters[i], x, y, tx, ty, batch);
      x = y;
      tx = ty;
    }
  }

  @Override
  public void vjp(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out) {
    Shapes.check(out, batch, dimension, "out");
    backpropagate(u, w, batch, out, null);
  }

  @Override
  public void vjpParameters(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment gradient) {
    checkGradient(gradient);
    backpropagate(u, w, batch, null, gradient);
  }

  @Override
  public void vjpBoth(double t, MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    Shapes.check(out, batch, dimension, "out");
    checkGradient(gradient);
    backpropagate(u, w, batch, out, gradient);
  }

  private void checkGradient(MemorySegment gradient) {
    if (gradient.byteSize() < 8L * parameterCount) {
      throw new IllegalArgumentException("gradient holds " + gradient.byteSize() / 8 + " doubles; the network has "
          + parameterCount + " parameters");
    }
  }

  /** One forward pass, then one backward pass; out and gradient are each skipped when null. */
  private void backpropagate(MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(w, batch, dimension, "w");
    // Without out, layers below the first one with parameters need no backward pass.
    int stop = out != null ? 0 : firstParametrized;
    if (stop == layers.length) {
      return;
    }
    Buffers b = buffers.get(batch);
    Buffers a = activations(u, b, batch);
    MemorySegment gy = w;
    for (int i = layers.length - 1; i >= stop; i--) {
      MemorySegment gx = i > stop ? b.gradient(i) : out;
      MemorySegment layerGradient = gradient == null || layers[i].parameterCount() == 0 ? null
          : gradient.asSlice(8 * offsets[i], 8 * (offsets[i + 1] - offsets[i]));
      layers[i].backward(layerParameters[i], i == 0 ? u : a.activation(i), a.activation(i + 1), gy, gx,
          layerGradient, batch);
      gy = gx;
    }
  }

  /** Activations, tangents and gradients at the layer boundaries 1..L for one batch size, made on first use. */
  private final class Buffers {
    private final int batch;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[] activations = new MemorySegment[layers.length + 1];
    private final MemorySegment[] tangents = new MemorySegment[layers.length + 1];
    private final MemorySegment[] gradients = new MemorySegment[layers.length + 1];

    Buffers(int batch) {
      this.batch = batch;
    }

    /** The input of layer i (i >= 1), which is the output of layer i - 1. */
    MemorySegment activation(int i) {
      return get(activations, i);
    }

    MemorySegment tangent(int i) {
      return get(tangents, i);
    }

    MemorySegment gradient(int i) {
      return get(gradients, i);
    }

    private MemorySegment get(MemorySegment[] kind, int i) {
      if (kind[i] == null) {
        kind[i] = arena.allocate(8L * batch * layers[i - 1].outputSize(), 64);
      }
      return kind[i];
    }
  }
}

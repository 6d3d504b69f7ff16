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
  /** Whether every layer maps each sample on its own, so a call's batch can be split into row blocks. */
  private final boolean independentRows;
  /** Below this many samples per block a call is not split. */
  private static final int MIN_BLOCK_ROWS = 16;

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
    boolean independent = true;
    for (Layer layer : this.layers) {
      independent &= layer.independentRows();
      activationBytes += 8L * layer.outputSize();
      replayable &= !layer.keepsForwardState();
    }
    this.independentRows = independent;
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
  public void parametersMayHaveChanged() {
    if (tape != null) {
      tape.recheckParameters();
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
  public void value(double t, MemorySegment u0, int batch, MemorySegment out0) {
    Shapes.check(u0, batch, dimension, "u");
    Shapes.check(out0, batch, dimension, "out");
    boolean split = blocks(batch) > 1;
    MemorySegment u = split ? shared(u0) : u0, out = split ? shared(out0) : out0;
    Buffers kept = tape == null ? null : tape.record(u, batch);
    if (kept != null) {
      inBlocks(batch, (lo, n, block) -> { // each block copies its rows of the output while they are in its cache
        forward(rows(u, lo, n, dimension), kept, lo, n);
        MemorySegment.copy(kept.activation(layers.length, lo, n), 0, rows(out, lo, n, dimension), 0, 8L * n * dimension);
      });
      return;
    }
    Buffers b = buffers.get(batch);
    inBlocks(batch, (lo, n, block) -> {
      MemorySegment x = rows(u, lo, n, dimension);
      for (int i = 0; i < layers.length; i++) {
        MemorySegment y = i == layers.length - 1 ? rows(out, lo, n, dimension) : b.activation(i + 1, lo, n);
        layers[i].forward(layerParameters[i], x, y, n);
        x = y;
      }
    });
  }

  /** Runs the forward pass at x (rows lo..lo+n of the batch) into those rows of a's activations 1..L. */
  private void forward(MemorySegment x, Buffers a, int lo, int n) {
    for (int i = 0; i < layers.length; i++) {
      MemorySegment y = a.activation(i + 1, lo, n);
      layers[i].forward(layerParameters[i], x, y, n);
      x = y;
    }
  }

  @Override
  public void jvp(double t, MemorySegment u0, MemorySegment v0, int batch, MemorySegment out0) {
    Shapes.check(u0, batch, dimension, "u");
    Shapes.check(v0, batch, dimension, "v");
    Shapes.check(out0, batch, dimension, "out");
    boolean split = blocks(batch) > 1;
    MemorySegment u = split ? shared(u0) : u0, v = split ? shared(v0) : v0, out = split ? shared(out0) : out0;
    Buffers b = buffers.get(batch);
    Buffers kept = tape == null ? null : tape.find(u, batch);
    Buffers a = kept != null ? kept : b;
    inBlocks(batch, (lo, n, block) -> {
      MemorySegment x = rows(u, lo, n, dimension), tx = rows(v, lo, n, dimension);
      if (kept == null) {
        forward(x, b, lo, n);
      }
      for (int i = 0; i < layers.length; i++) {
        MemorySegment y = a.activation(i + 1, lo, n);
        MemorySegment ty = i == layers.length - 1 ? rows(out, lo, n, dimension) : b.tangent(i + 1, lo, n);
        layers[i].tangent(layerParameters[i], x, y, tx, ty, n);
        x = y;
        tx = ty;
      }
    });
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

  /**
   * One forward pass, then one backward pass; out and gradient are each skipped when null. Split
   * over threads, the row blocks run the passes for the input gradients first; then every thread
   * adds its share of each layer's parameter gradient from the whole batch.
   */
  private void backpropagate(MemorySegment u0, MemorySegment w0, int batch, MemorySegment out0, MemorySegment gradient0) {
    Shapes.check(u0, batch, dimension, "u");
    Shapes.check(w0, batch, dimension, "w");
    // Without out, layers below the first one with parameters need no backward pass.
    int stop = out0 != null ? 0 : firstParametrized;
    if (stop == layers.length) {
      return;
    }
    int blocks = blocks(batch);
    boolean split = blocks > 1;
    MemorySegment u = split ? shared(u0) : u0, w = split ? shared(w0) : w0, out = split ? shared(out0) : out0;
    MemorySegment gradient = split ? shared(gradient0) : gradient0;
    Buffers b = buffers.get(batch);
    Buffers kept = tape == null ? null : tape.find(u, batch);
    Buffers a = kept != null ? kept : b;
    MemorySegment rowGradient = split ? null : gradient; // split: the parameter gradients come after
    inBlocks(batch, (lo, n, block) -> {
      MemorySegment x0 = rows(u, lo, n, dimension);
      if (kept == null) {
        forward(x0, b, lo, n);
      }
      MemorySegment gy = rows(w, lo, n, dimension);
      for (int i = layers.length - 1; i >= stop; i--) {
        MemorySegment gx = i > stop ? b.gradient(i, lo, n) : out == null ? null : rows(out, lo, n, dimension);
        MemorySegment layerGradient = rowGradient == null || layers[i].parameterCount() == 0 ? null : layerSlice(rowGradient, i);
        if (gx != null || layerGradient != null) {
          layers[i].backward(layerParameters[i], i == 0 ? x0 : a.activation(i, lo, n), a.activation(i + 1, lo, n), gy, gx,
              layerGradient, n);
        }
        gy = gx;
      }
    });
    if (split && gradient != null) {
      BatchThreads.run(blocks, part -> {
        for (int i = layers.length - 1; i >= stop; i--) {
          if (layers[i].parameterCount() > 0) {
            MemorySegment gy = i == layers.length - 1 ? w : b.gradient(i + 1);
            layers[i].parameterGradient(layerParameters[i], i == 0 ? u : a.activation(i), a.activation(i + 1), gy,
                layerSlice(gradient, i), batch, part, blocks);
          }
        }
      });
    }
  }

  /** Layer i's parameters' part of a gradient over all parameters. */
  private MemorySegment layerSlice(MemorySegment gradient, int i) {
    return gradient.asSlice(8 * offsets[i], 8 * (offsets[i + 1] - offsets[i]));
  }

  /** The row blocks a call of this batch size is split into: 1 unless every layer's rows are independent. */
  private int blocks(int batch) {
    return independentRows ? Math.max(1, Math.min(BatchThreads.get(), batch / MIN_BLOCK_ROWS)) : 1;
  }

  /** Runs body over the row blocks of the batch, in parallel on {@link BatchThreads}. */
  private void inBlocks(int batch, RowBlock body) {
    int blocks = blocks(batch);
    if (blocks == 1) {
      body.run(0, batch, 0);
      return;
    }
    BatchThreads.run(blocks, block -> {
      int lo = (int) ((long) batch * block / blocks);
      int hi = (int) ((long) batch * (block + 1) / blocks);
      body.run(lo, hi - lo, block);
    });
  }

  private static MemorySegment shared(MemorySegment s) {
    return BatchThreads.shared(s);
  }

  /** Rows lo..lo+n of a row-major batch x width segment. */
  private static MemorySegment rows(MemorySegment s, int lo, int n, int width) {
    return s.asSlice(8L * lo * width, 8L * n * width);
  }

  /** One block of rows of a call's batch. */
  @FunctionalInterface
  private interface RowBlock {
    void run(int lo, int n, int block);
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

    /** Rows lo..lo+n of {@link #activation(int)}. */
    MemorySegment activation(int i, int lo, int n) {
      return rows(get(activations, i), lo, n, layers[i - 1].outputSize());
    }

    MemorySegment tangent(int i, int lo, int n) {
      return rows(get(tangents, i), lo, n, layers[i - 1].outputSize());
    }

    MemorySegment gradient(int i) {
      return get(gradients, i);
    }

    MemorySegment gradient(int i, int lo, int n) {
      return rows(get(gradients, i), lo, n, layers[i - 1].outputSize());
    }

    /** Made on first use; synchronized as the row blocks of one call may ask at once. */
    private synchronized MemorySegment get(MemorySegment[] kind, int i) {
      if (kind[i] == null) {
        kind[i] = arena.allocate(8L * batch * layers[i - 1].outputSize(), 64);
      }
      return kind[i];
    }
  }
}

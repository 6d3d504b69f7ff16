package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.panode.ode.Shapes;
import org.panode.ode.Term;

/**
 * An initialized DL4J {@link MultiLayerNetwork} of float64 DenseLayers with ReLU, tanh or identity
 * activations, the last one identity, as a {@link Term} (time is ignored). The value is
 * {@code output}; the VJPs come from one {@code backpropGradient} (the parameter gradient from the
 * network's gradient view, in the order of its flat parameters). DL4J has no forward mode, so the
 * JVP is an explicit tangent pass t &lt;- (t W) * phi'(z) over the layers' weights with the
 * activations of a forward pass: exact, not a finite difference. {@link #parameters()} is the
 * network's own flat parameter array (so give the network no new parameter array afterwards). Not
 * thread-safe.
 */
public final class Dl4jTerm implements Term {
  static {
    SystemOpenBlas.loadFirst(); // before ND4J's OpenBLAS: see SystemOpenBlas
  }

  private enum Kind { RELU, TANH, IDENTITY }

  private final MultiLayerNetwork network;
  private final int dimension;
  private final int parameterCount;
  private final MemorySegment parameters;
  private final Kind[] kinds;
  private final SegmentArrays arrays = new SegmentArrays();

  public Dl4jTerm(MultiLayerNetwork network) {
    if (network.params() == null || network.getnLayers() == 0) {
      throw new IllegalArgumentException("the network has no layers or no parameters; call init() first");
    }
    if (network.params().dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException("the network must be float64, its parameters are " + network.params().dataType());
    }
    int layers = network.getnLayers();
    this.kinds = new Kind[layers];
    long in = -1, previous = -1;
    for (int i = 0; i < layers; i++) {
      if (!(network.getLayer(i).conf().getLayer() instanceof DenseLayer dense)) {
        throw new IllegalArgumentException("layer " + i + " is a " + network.getLayer(i).conf().getLayer().getClass().getSimpleName()
            + "; only DenseLayer is supported");
      }
      if (dense.getIDropout() != null || dense.getWeightNoise() != null || dense.hasLayerNorm()) {
        // value() runs in inference mode, the VJP's forward pass in training mode, and the JVP is Panode's own formula
        throw new IllegalArgumentException("layer " + i + " has dropout, weight noise or layer normalization, which the"
            + " term's derivatives do not follow; build it without them");
      }
      kinds[i] = kind(dense.getActivationFn(), i);
      if (i == 0) {
        in = dense.getNIn();
      } else if (dense.getNIn() != previous) {
        throw new IllegalArgumentException("layer " + i + " takes " + dense.getNIn() + " inputs but gets " + previous);
      }
      previous = dense.getNOut();
    }
    if (kinds[layers - 1] != Kind.IDENTITY) {
      throw new IllegalArgumentException("the last layer must have the identity activation");
    }
    if (in != previous) {
      throw new IllegalArgumentException("a term maps R^d to R^d: the network takes " + in + " inputs but gives " + previous);
    }
    this.network = network;
    this.dimension = Math.toIntExact(in);
    this.parameterCount = Math.toIntExact(network.numParams());
    this.parameters = SegmentArrays.segment(network.params());
  }

  private static Kind kind(IActivation activation, int layer) {
    if (activation instanceof ActivationReLU && activation.equals(new ActivationReLU())) {
      return Kind.RELU;
    }
    if (activation instanceof ActivationTanH) {
      return Kind.TANH;
    }
    if (activation instanceof ActivationIdentity) {
      return Kind.IDENTITY;
    }
    throw new IllegalArgumentException("layer " + layer + " has activation " + activation + "; only plain ReLU, tanh and identity are supported");
  }

  /** The wrapped network. */
  public MultiLayerNetwork network() {
    return network;
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
    SegmentArrays.copy(network.output(arrays.matrix(u, batch, dimension), false), out);
  }

  @Override
  public void jvp(double t, MemorySegment u, MemorySegment v, int batch, MemorySegment out) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(v, batch, dimension, "v");
    Shapes.check(out, batch, dimension, "out");
    List<INDArray> activations = network.feedForward(arrays.matrix(u, batch, dimension), false);
    INDArray tangent = arrays.matrix(v, batch, dimension);
    for (int i = 0; i < kinds.length; i++) {
      tangent = tangent.mmul(network.getLayer(i).getParam("W"));
      INDArray a = activations.get(i + 1);
      switch (kinds[i]) {
        case RELU -> tangent.muli(a.gt(0).castTo(DataType.DOUBLE));
        case TANH -> tangent.muli(a.mul(a).rsubi(1));
        case IDENTITY -> { }
      }
    }
    SegmentArrays.copy(tangent, out);
    network.clear();
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

  private void backpropagate(MemorySegment u, MemorySegment w, int batch, MemorySegment out, MemorySegment gradient) {
    Shapes.check(u, batch, dimension, "u");
    Shapes.check(w, batch, dimension, "w");
    network.setInput(arrays.matrix(u, batch, dimension));
    network.feedForward(true, false);
    INDArray inputGradient = network.backpropGradient(arrays.matrix(w, batch, dimension), LayerWorkspaceMgr.noWorkspaces()).getSecond();
    if (out != null) {
      SegmentArrays.copy(inputGradient, out);
    }
    if (gradient != null) {
      MemorySegment g = SegmentArrays.segment(network.getGradientsViewArray());
      for (long i = 0; i < parameterCount; i++) {
        gradient.setAtIndex(ValueLayout.JAVA_DOUBLE, i, gradient.getAtIndex(ValueLayout.JAVA_DOUBLE, i) + g.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
      }
    }
    network.clear();
  }
}

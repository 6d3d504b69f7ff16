package org.panode.nn;

import java.util.function.IntFunction;

/** The activation layers by name, for builders such as {@link Network#mlp}. */
public enum Activation {
  RELU(ReLU::new),
  TANH(Tanh::new),
  /** The tanh approximation; see {@link GELU}. */
  GELU(org.panode.nn.GELU::new),
  IDENTITY(Identity::new);

  private final IntFunction<Elementwise> factory;

  Activation(IntFunction<Elementwise> factory) {
    this.factory = factory;
  }

  /** The activation layer for vectors of the given size. */
  public Elementwise layer(int size) {
    return factory.apply(size);
  }
}

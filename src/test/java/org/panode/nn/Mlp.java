package org.panode.nn;

import java.lang.foreign.MemorySegment;

/** A ReLU MLP at a fixed batch size, as the benchmark times it. */
interface Mlp {
  void value(MemorySegment u, MemorySegment out);

  void jvp(MemorySegment u, MemorySegment v, MemorySegment out);

  void vjpBoth(MemorySegment u, MemorySegment w, MemorySegment out, MemorySegment gradient);

  /** The network as the library runs it. */
  static Mlp of(Network network, int batch) {
    return new Mlp() {
      @Override
      public void value(MemorySegment u, MemorySegment out) {
        network.value(0, u, batch, out);
      }

      @Override
      public void jvp(MemorySegment u, MemorySegment v, MemorySegment out) {
        network.jvp(0, u, v, batch, out);
      }

      @Override
      public void vjpBoth(MemorySegment u, MemorySegment w, MemorySegment out, MemorySegment gradient) {
        network.vjpBoth(0, u, w, batch, out, gradient);
      }
    };
  }
}

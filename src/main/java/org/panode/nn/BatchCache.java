package org.panode.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** Work buffers by batch size, made on first use; the least recently used goes past a few sizes. */
final class BatchCache<T> {
  private static final int SIZES = 8;
  private final IntFunction<T> factory;
  private final Map<Integer, T> bySize = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, T> eldest) {
      return size() > SIZES;
    }
  };

  BatchCache(IntFunction<T> factory) {
    this.factory = factory;
  }

  T get(int batch) {
    return bySize.computeIfAbsent(batch, factory::apply);
  }
}

package org.panode.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Arrays by name, in insertion order: the content of a .npz file and the output of a generator. */
public record NamedArrays(Map<String, NdArray> arrays) {
  public NamedArrays {
    arrays.forEach((name, array) -> {
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("array name '" + name + "' must be non-empty and have no '/'");
      }
      Objects.requireNonNull(array, name);
    });
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
  }

  /** The arrays in the order given; IllegalArgumentException on a repeated name. */
  @SafeVarargs
  public static NamedArrays of(Map.Entry<String, ? extends NdArray>... entries) {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    for (var entry : entries) {
      if (arrays.put(entry.getKey(), entry.getValue()) != null) {
        throw new IllegalArgumentException("array name '" + entry.getKey() + "' given twice");
      }
    }
    return new NamedArrays(arrays);
  }

  /** The array of this name; IllegalArgumentException listing the names if there is none. */
  public NdArray get(String name) {
    NdArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no array '" + name + "'; there are " + arrays.keySet());
    }
    return a;
  }

  /** The float64 array of this name. */
  public NdArray.Doubles doubles(String name) {
    if (get(name) instanceof NdArray.Doubles d) {
      return d;
    }
    throw new IllegalArgumentException("array '" + name + "' is " + get(name) + ", not float64");
  }

  /** The integer array of this name. */
  public NdArray.Longs longs(String name) {
    if (get(name) instanceof NdArray.Longs l) {
      return l;
    }
    throw new IllegalArgumentException("array '" + name + "' is " + get(name) + ", not an integer array");
  }

  /** The unicode string array of this name. */
  public NdArray.Strings strings(String name) {
    if (get(name) instanceof NdArray.Strings t) {
      return t;
    }
    throw new IllegalArgumentException("array '" + name + "' is " + get(name) + ", not a unicode string array");
  }
}

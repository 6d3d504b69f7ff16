package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Forward passes kept for the JVPs and VJPs that follow them at the same input, so that those skip
 * recomputing the forward. While started, {@link #record} gives an entry to fill for an input; {@link
 * #find} returns the latest entry recorded at the same input (byte for byte), or null. Parameters are
 * compared with their copy from {@link #start} by the first find after a start, a record or {@link
 * #recheckParameters} (which the solver calls before each adjoint), not by every find: the comparison
 * reads all parameters twice, a tenth of a Burgers 512 VJP. If they changed, the tape stops and finds
 * nothing. So a forward solve, then a change of parameters, then an adjoint finds nothing; only a
 * write inside one adjoint pass goes unseen. Entries are found through a hash of a
 * few sampled entries of the input (long solves record thousands), reused after {@link #stop}, and
 * recording stops when they would pass the byte budget.
 */
final class ForwardTape<T> {
  private final IntFunction<T> buffers;
  private final long inputBytesPerSample;
  private final long bytesPerSample;
  private final MemorySegment parametersAtStart;
  private final List<Entry<T>> used = new ArrayList<>();
  private final Map<Long, List<Entry<T>>> byKey = new HashMap<>();
  private final List<Entry<T>> free = new ArrayList<>();
  private MemorySegment parameters;
  private long bytesHeld;
  private long budget;
  private boolean on;
  /** The parameters were compared with their copy since the last start or record. */
  private boolean parametersChecked;

  /**
   * buffers(batch) makes an entry's buffers, which hold bufferBytesPerSample bytes per sample; an
   * input holds inputBytesPerSample.
   */
  ForwardTape(IntFunction<T> buffers, long inputBytesPerSample, long bufferBytesPerSample, long parameterBytes,
      long budget) {
    this.buffers = buffers;
    this.inputBytesPerSample = inputBytesPerSample;
    this.bytesPerSample = inputBytesPerSample + bufferBytesPerSample;
    this.parametersAtStart = Arena.ofAuto().allocate(Math.max(8, parameterBytes), 64);
    this.budget = budget;
  }

  void budget(long bytes) {
    this.budget = bytes;
  }

  /** The most this tape holds after recording that many forward passes of that batch size: at most its budget. */
  long bytesFor(int batch, long evaluations) {
    double wanted = (double) bytesPerSample * batch * evaluations;
    return wanted >= budget ? budget : (long) wanted;
  }

  /** Forgets all entries and records from now on, for these parameters. */
  void start(MemorySegment parameters) {
    stop();
    this.parameters = parameters;
    BatchThreads.copy(parameters, parametersAtStart);
    parametersChecked = true;
    on = true;
  }

  /** The next find compares the parameters with their copy again (they may have been written). */
  void recheckParameters() {
    parametersChecked = false;
  }

  /** Forgets all entries (kept for reuse) and records nothing until the next start. */
  void stop() {
    on = false;
    free.addAll(used);
    used.clear();
    byKey.clear();
  }

  /** The buffers to fill with the forward pass at u (its input is copied now), or null when not recording. */
  T record(MemorySegment u, int batch) {
    if (!on) {
      return null;
    }
    Entry<T> entry = reuse(batch);
    if (entry == null) {
      return null;
    }
    BatchThreads.copy(u.asSlice(0, entry.input.byteSize()), entry.input);
    parametersChecked = false;
    used.add(entry);
    byKey.computeIfAbsent(key(u, entry.input.byteSize()), k -> new ArrayList<>(1)).add(entry);
    return entry.buffers;
  }

  /** The buffers of the latest forward pass recorded at u, or null. */
  T find(MemorySegment u, int batch) {
    if (!on || used.isEmpty()) {
      return null;
    }
    if (!parametersChecked) {
      if (!BatchThreads.same(parameters, parametersAtStart.asSlice(0, parameters.byteSize()))) {
        stop();
        return null;
      }
      parametersChecked = true;
    }
    long bytes = inputBytesPerSample * batch;
    List<Entry<T>> candidates = byKey.get(key(u, bytes));
    if (candidates == null) {
      return null;
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      Entry<T> e = candidates.get(i);
      if (e.batch == batch && BatchThreads.same(e.input.asSlice(0, bytes), u.asSlice(0, bytes))) { // large: on the pool
        return e.buffers;
      }
    }
    return null;
  }

  /** A hash of the input's size and of 8 of its doubles, spread over it. */
  private static long key(MemorySegment u, long bytes) {
    long doubles = bytes / 8;
    long h = doubles;
    for (int k = 0; k < 8; k++) {
      long i = doubles * k / 8;
      h = h * 0x9E3779B97F4A7C15L + Double.doubleToRawLongBits(u.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
    }
    return h;
  }

  private Entry<T> reuse(int batch) {
    // A lowered budget: drop free entries until within it (0 keeps none).
    while (bytesHeld > budget && !free.isEmpty()) {
      bytesHeld -= bytesPerSample * free.removeLast().batch;
    }
    if (budget == 0) {
      return null;
    }
    for (int i = free.size() - 1; i >= 0; i--) {
      if (free.get(i).batch == batch) {
        return free.remove(i);
      }
    }
    long bytes = bytesPerSample * batch;
    // Make room by dropping free entries of other batch sizes.
    while (bytesHeld + bytes > budget && !free.isEmpty()) {
      bytesHeld -= bytesPerSample * free.removeLast().batch;
    }
    if (bytesHeld + bytes > budget) {
      return null;
    }
    bytesHeld += bytes;
    return new Entry<>(batch, Arena.ofAuto().allocate(inputBytesPerSample * batch, 64), buffers.apply(batch));
  }

  private record Entry<T>(int batch, MemorySegment input, T buffers) {}
}

package org.panode.nn;

import static org.testng.Assert.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/**
 * Network.rememberEvaluations: JVPs and VJPs at a remembered state skip the forward pass and give
 * bit-identical results; anything else (another state, changed parameters, no budget, a layer that
 * keeps forward state) recomputes.
 */
public class RememberedForwardTest {
  private static final int D = 6;
  private static final int BATCH = 3;

  private static Network network(CountingTanh counter) {
    List<Layer> layers = new ArrayList<>(List.of(new Dense(D, 10, 0.5), new Tanh(10), new Dense(10, D, 0.5)));
    layers.add(counter);
    layers.add(new Dense(D, D, 0.5));
    return new Network(5, layers);
  }

  /** JVP, VJP and both VJPs of net at u along v, as one array. */
  private static double[] derivatives(Network net, Arena arena, MemorySegment u, MemorySegment v) {
    MemorySegment jvp = arena.allocate(8L * BATCH * D), vjp = arena.allocate(8L * BATCH * D);
    MemorySegment both = arena.allocate(8L * BATCH * D);
    MemorySegment g1 = arena.allocate(8L * net.parameterCount()), g2 = arena.allocate(8L * net.parameterCount());
    net.jvp(0, u, v, BATCH, jvp);
    net.vjp(0, u, v, BATCH, vjp);
    net.vjpParameters(0, u, v, BATCH, g1);
    net.vjpBoth(0, u, v, BATCH, both, g2);
    List<MemorySegment> parts = List.of(jvp, vjp, both, g1, g2);
    return parts.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.toArray(TermChecks.D))).toArray();
  }

  @Test
  public void rememberedStatesSkipTheForwardAndGiveIdenticalResults() {
    CountingTanh counter = new CountingTanh(D, false);
    Network net = network(counter);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u1 = TermChecks.gaussian(arena, BATCH * D, new Random(1), 1);
      MemorySegment u2 = TermChecks.gaussian(arena, BATCH * D, new Random(2), 1);
      MemorySegment v = TermChecks.gaussian(arena, BATCH * D, new Random(3), 1);
      MemorySegment out = arena.allocate(8L * BATCH * D);
      double[] expected1 = derivatives(net, arena, u1, v);
      double[] expected2 = derivatives(net, arena, u2, v);
      assertEquals(counter.forwards, 8, "without remembering, each of the 4 calls runs a forward pass");

      net.rememberEvaluations(true);
      net.value(0, u1, BATCH, out);
      net.value(0, u2, BATCH, out);
      counter.forwards = 0;
      assertEquals(derivatives(net, arena, u2, v), expected2);
      assertEquals(derivatives(net, arena, u1, v), expected1);
      assertEquals(counter.forwards, 0, "remembered states need no forward pass");

      MemorySegment u3 = TermChecks.gaussian(arena, BATCH * D, new Random(4), 1);
      derivatives(net, arena, u3, v);
      assertEquals(counter.forwards, 4, "a state value() never saw is computed");

      net.rememberEvaluations(false);
      counter.forwards = 0;
      assertEquals(derivatives(net, arena, u1, v), expected1);
      assertEquals(counter.forwards, 4, "off forgets");
    }
  }

  @Test
  public void changedParametersAreNotServedFromMemory() {
    CountingTanh counter = new CountingTanh(D, false);
    Network net = network(counter);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u = TermChecks.gaussian(arena, BATCH * D, new Random(1), 1);
      MemorySegment v = TermChecks.gaussian(arena, BATCH * D, new Random(3), 1);
      MemorySegment out = arena.allocate(8L * BATCH * D);
      net.rememberEvaluations(true);
      net.value(0, u, BATCH, out);
      net.parameters().setAtIndex(TermChecks.D, 0, net.parameters().getAtIndex(TermChecks.D, 0) + 0.5);
      double[] remembered = derivatives(net, arena, u, v);
      net.rememberEvaluations(false);
      assertEquals(remembered, derivatives(net, arena, u, v), "the derivatives at the new parameters");
    }
  }

  /** The parameters are compared by the first find after a record: a change between two forward solves is seen. */
  @Test
  public void aChangeAfterFindsIsSeenByTheFindsAfterTheNextForward() {
    CountingTanh counter = new CountingTanh(D, false);
    Network net = network(counter);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u = TermChecks.gaussian(arena, BATCH * D, new Random(1), 1);
      MemorySegment w = TermChecks.gaussian(arena, BATCH * D, new Random(2), 1);
      MemorySegment v = TermChecks.gaussian(arena, BATCH * D, new Random(3), 1);
      MemorySegment out = arena.allocate(8L * BATCH * D);
      net.rememberEvaluations(true);
      net.value(0, u, BATCH, out);
      derivatives(net, arena, u, v);
      net.parameters().setAtIndex(TermChecks.D, 0, net.parameters().getAtIndex(TermChecks.D, 0) + 0.5);
      net.value(0, w, BATCH, out); // a record at another state: u's entry is stale now
      counter.forwards = 0;
      double[] afterChange = derivatives(net, arena, u, v);
      assertEquals(counter.forwards, 4, "the stale pass at u is not used");
      net.rememberEvaluations(false);
      assertEquals(afterChange, derivatives(net, arena, u, v), "the derivatives at the new parameters");
    }
  }

  @Test
  public void withoutBudgetOrWithForwardStateEverythingIsRecomputed() {
    for (boolean keepsState : new boolean[] {false, true}) {
      CountingTanh counter = new CountingTanh(D, keepsState);
      Network net = network(counter);
      if (!keepsState) {
        net.maxRememberedBytes(0);
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment u = TermChecks.gaussian(arena, BATCH * D, new Random(1), 1);
        MemorySegment v = TermChecks.gaussian(arena, BATCH * D, new Random(3), 1);
        MemorySegment out = arena.allocate(8L * BATCH * D);
        double[] expected = derivatives(net, arena, u, v);
        net.rememberEvaluations(true);
        net.value(0, u, BATCH, out);
        counter.forwards = 0;
        assertEquals(derivatives(net, arena, u, v), expected);
        assertEquals(counter.forwards, 4, keepsState ? "a layer with forward state" : "budget 0");
      }
    }
  }

  @Test
  public void theBudgetBoundsTheRememberedPasses() {
    CountingTanh counter = new CountingTanh(D, false);
    Network net = network(counter);
    // One entry: input 6 + activations 10 + 10 + 6 + 6 + 6 doubles per sample.
    net.maxRememberedBytes(8L * BATCH * (D + 10 + 10 + D + D + D));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment u1 = TermChecks.gaussian(arena, BATCH * D, new Random(1), 1);
      MemorySegment u2 = TermChecks.gaussian(arena, BATCH * D, new Random(2), 1);
      MemorySegment v = TermChecks.gaussian(arena, BATCH * D, new Random(3), 1);
      MemorySegment out = arena.allocate(8L * BATCH * D);
      net.rememberEvaluations(true);
      net.value(0, u1, BATCH, out);
      net.value(0, u2, BATCH, out);
      counter.forwards = 0;
      derivatives(net, arena, u1, v);
      assertEquals(counter.forwards, 0, "the first state fits the budget");
      derivatives(net, arena, u2, v);
      assertEquals(counter.forwards, 4, "the second does not");
      // After a restart the entry is reused for a new state.
      net.rememberEvaluations(true);
      net.value(0, u2, BATCH, out);
      counter.forwards = 0;
      derivatives(net, arena, u2, v);
      assertEquals(counter.forwards, 0);
      // A budget lowered to 0 after use turns remembering off, the entries kept for reuse included.
      net.maxRememberedBytes(0);
      net.rememberEvaluations(true);
      net.value(0, u2, BATCH, out);
      counter.forwards = 0;
      derivatives(net, arena, u2, v);
      assertEquals(counter.forwards, 4, "budget lowered to 0");
    }
  }
}

package org.panode.train;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** The shards of a batch cover it once, in order, and differ in size by at most one. */
public class ShardTest {
  @Test
  public void shardsCoverTheBatchInOrder() {
    for (int ranks = 1; ranks <= 9; ranks++) {
      for (int m = ranks; m <= 40; m++) {
        int next = 17, smallest = Integer.MAX_VALUE, largest = 0;
        double weights = 0;
        for (int r = 0; r < ranks; r++) {
          Shard s = Shard.of(17, 17 + m, r, ranks);
          assertEquals(s.from(), next, "rank " + r + " of " + ranks + ", batch " + m);
          next = s.to();
          smallest = Math.min(smallest, s.count());
          largest = Math.max(largest, s.count());
          weights += s.weight();
        }
        assertEquals(next, 17 + m);
        assertEquals(largest - smallest <= 1, true);
        assertEquals(weights, 1.0, 1e-15);
      }
    }
  }
}

package org.panode.train;

/**
 * A rank's share [from, to) of the mini-batch [batchFrom, batchTo) of a shuffled epoch: contiguous
 * slices, the first (m % ranks) ranks one sample more. Every rank shuffles with the same seed, so
 * the samples a batch holds, and the model they give, do not depend on the number of ranks.
 */
record Shard(int from, int to, int batchSize) {
  static Shard of(int batchFrom, int batchTo, int rank, int ranks) {
    int m = batchTo - batchFrom;
    int base = m / ranks, extra = m % ranks;
    int from = batchFrom + rank * base + Math.min(rank, extra);
    return new Shard(from, from + base + (rank < extra ? 1 : 0), m);
  }

  int count() {
    return to - from;
  }

  /** This shard's weight in the batch mean: count / batch size. */
  double weight() {
    return (double) count() / batchSize;
  }
}

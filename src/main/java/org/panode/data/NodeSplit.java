package org.panode.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training, validation and test nodes of a node-classification graph, disjoint.
 * {@link #planetoid} draws the Planetoid-style split (Yang et al. 2016; Kipf and Welling 2017): a
 * fixed number of labelled nodes per class for training (20 on Cora: 140 nodes), then 500
 * validation and 1000 test nodes from the rest, all drawn by a seeded shuffle (SplittableRandom), so
 * the same seed gives the same split. It is not the fixed public Planetoid index list, which the
 * gnn-benchmark file does not carry.
 */
public record NodeSplit(int[] train, int[] validation, int[] test) {
  /** Cora's usual sizes: 20 per class, 500, 1000. */
  public static NodeSplit planetoid(int[] labels, int classes, long seed) {
    return planetoid(labels, classes, 20, 500, 1000, seed);
  }

  public static NodeSplit planetoid(int[] labels, int classes, int perClass, int validation, int test, long seed) {
    int n = labels.length;
    if (perClass < 1 || validation < 0 || test < 1) {
      throw new IllegalArgumentException("need >= 1 training node per class, >= 0 validation and >= 1 test nodes");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] taken = new int[classes];
    List<Integer> train = new ArrayList<>(), rest = new ArrayList<>();
    for (int node : order) {
      int c = labels[node];
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("node " + node + " has label " + c + ", outside 0.." + (classes - 1));
      }
      if (taken[c] < perClass) {
        taken[c]++;
        train.add(node);
      } else {
        rest.add(node);
      }
    }
    for (int c = 0; c < classes; c++) {
      if (taken[c] < perClass) {
        throw new IllegalArgumentException("class " + c + " has " + taken[c] + " nodes, fewer than " + perClass);
      }
    }
    if (rest.size() < validation + test) {
      throw new IllegalArgumentException(rest.size() + " nodes left after training, fewer than " + validation + " + " + test);
    }
    return new NodeSplit(ints(train), ints(rest.subList(0, validation)), ints(rest.subList(validation, validation + test)));
  }

  private static int[] ints(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}

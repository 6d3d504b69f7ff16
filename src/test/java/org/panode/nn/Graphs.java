package org.panode.nn;

/** Small test graphs as edge lists. */
final class Graphs {
  private Graphs() {}

  /**
   * Nodes 0..n-2 on a ring with self-loops and edges both ways, plus a chord 0 -> n/2 and a last node
   * that sends into node 0 but receives nothing.
   */
  static int[][] ringWithExtras(int n) {
    int ring = n - 1;
    int edges = 3 * ring + 2;
    int[] src = new int[edges], dst = new int[edges];
    int e = 0;
    for (int i = 0; i < ring; i++) {
      int[][] pairs = {{i, i}, {i, (i + 1) % ring}, {(i + 1) % ring, i}};
      for (int[] pair : pairs) {
        src[e] = pair[0];
        dst[e++] = pair[1];
      }
    }
    src[e] = 0;
    dst[e++] = ring / 2;
    src[e] = ring;
    dst[e] = 0;
    return new int[][] {src, dst};
  }
}

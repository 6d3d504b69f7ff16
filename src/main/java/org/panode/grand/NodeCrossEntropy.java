package org.panode.grand;

/**
 * Softmax cross-entropy averaged over a set of nodes, on logits stored node-major (N x C), and the
 * accuracy of the logits' argmax.
 */
public final class NodeCrossEntropy {
  private NodeCrossEntropy() {}

  /** The mean loss over the nodes; if gradient is non-null it gets dL/dlogits (zero off the nodes). */
  public static double loss(double[] logits, int classes, int[] labels, int[] nodes, double[] gradient) {
    if (nodes.length == 0) {
      throw new IllegalArgumentException("no nodes to average the loss over");
    }
    if (gradient != null) {
      java.util.Arrays.fill(gradient, 0);
    }
    double sum = 0, weight = 1.0 / nodes.length;
    for (int node : nodes) {
      int at = node * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[at + c]);
      }
      double z = 0;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(logits[at + c] - max);
      }
      double logZ = max + Math.log(z);
      sum += logZ - logits[at + labels[node]];
      if (gradient != null) {
        for (int c = 0; c < classes; c++) {
          gradient[at + c] += weight * (Math.exp(logits[at + c] - logZ) - (c == labels[node] ? 1 : 0));
        }
      }
    }
    return sum * weight;
  }

  /** The fraction of the nodes whose largest logit is at their label. */
  public static double accuracy(double[] logits, int classes, int[] labels, int[] nodes) {
    int right = 0;
    for (int node : nodes) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[node * classes + c] > logits[node * classes + best]) {
          best = c;
        }
      }
      right += best == labels[node] ? 1 : 0;
    }
    return nodes.length == 0 ? Double.NaN : (double) right / nodes.length;
  }
}

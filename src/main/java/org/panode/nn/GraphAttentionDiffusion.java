package org.panode.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * GRAND's attention diffusion f(x) = (A(x) - I) x on a graph of N nodes with h features each (a
 * sample is N x h, node-major). A is the mean over H heads of a row-softmax of scaled dot-product
 * attention over the graph's edges: for an edge s -> t, A_ts = mean_l softmax over the edges into
 * t of (W_Q^l x_t) . (W_K^l x_s) / sqrt(k), with key size k. A node without incoming edges has an
 * empty row (f = -x there); add self-loops to the edge lists to include x_t itself. Parameters:
 * W_Q then W_K, each (H k) x h row-major, no biases.
 */
public final class GraphAttentionDiffusion implements Layer {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
  private final int nodes;
  private final int features;
  private final int heads;
  private final int keySize;
  private final int width;
  private final double scale;
  private final double initStd;
  private final int[] rowStart;
  private final int[] source;
  private final BatchCache<Scratch> scratch;
  private Scratch current;

  /** The graph as edges src[e] -> dst[e]; attention weights start as N(0, initStd^2) draws. */
  public GraphAttentionDiffusion(int nodes, int features, int[] src, int[] dst, int heads, int keySize, double initStd) {
    if (nodes <= 0 || features <= 0 || heads <= 0 || keySize <= 0) {
      throw new IllegalArgumentException("nodes, features, heads and key size must be positive, got "
          + nodes + ", " + features + ", " + heads + ", " + keySize);
    }
    if (src.length != dst.length) {
      throw new IllegalArgumentException("edge lists differ in length: " + src.length + " sources, " + dst.length + " targets");
    }
    this.nodes = nodes;
    this.features = features;
    this.heads = heads;
    this.keySize = keySize;
    this.width = heads * keySize;
    this.scale = 1 / Math.sqrt(keySize);
    this.initStd = initStd;
    // Edges grouped by target (CSR rows), in their given order within a row.
    this.rowStart = new int[nodes + 1];
    for (int e = 0; e < src.length; e++) {
      if (src[e] < 0 || src[e] >= nodes || dst[e] < 0 || dst[e] >= nodes) {
        throw new IllegalArgumentException("edge " + e + " (" + src[e] + " -> " + dst[e] + ") has a node outside 0.." + (nodes - 1));
      }
      rowStart[dst[e] + 1]++;
    }
    for (int t = 0; t < nodes; t++) {
      rowStart[t + 1] += rowStart[t];
    }
    this.source = new int[src.length];
    int[] next = Arrays.copyOf(rowStart, nodes);
    for (int e = 0; e < src.length; e++) {
      source[next[dst[e]]++] = src[e];
    }
    this.scratch = new BatchCache<>(Scratch::new);
  }

  @Override
  public int inputSize() {
    return nodes * features;
  }

  @Override
  public int outputSize() {
    return nodes * features;
  }

  @Override
  public int parameterCount() {
    return 2 * width * features;
  }

  @Override
  public void initialize(MemorySegment p, RandomGenerator random) {
    for (long i = 0; i < parameterCount(); i++) {
      p.setAtIndex(D, i, initStd * random.nextGaussian());
    }
  }

  private MemorySegment queryWeights(MemorySegment p) {
    return p.asSlice(0, 8L * width * features);
  }

  private MemorySegment keyWeights(MemorySegment p) {
    return p.asSlice(8L * width * features, 8L * width * features);
  }

  /** The attention weights of the latest forward pass are kept for its tangent and backward. */
  @Override
  public boolean keepsForwardState() {
    return true;
  }

  @Override
  public void forward(MemorySegment p, MemorySegment x, MemorySegment y, int batch) {
    Scratch w = scratch.get(batch);
    current = w;
    int rows = batch * nodes, edges = source.length;
    Blas.gemm(false, true, rows, width, features, 1, x, queryWeights(p), 0, MemorySegment.ofArray(w.q));
    Blas.gemm(false, true, rows, width, features, 1, x, keyWeights(p), 0, MemorySegment.ofArray(w.k));
    Arrays.fill(w.mean, 0);
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < nodes; t++) {
        for (int l = 0; l < heads; l++) {
          int from = rowStart[t], to = rowStart[t + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int e = from; e < to; e++) {
            double score = scale * dot(w.q, query(s, t, l), w.k, query(s, source[e], l));
            w.alpha[(s * edges + e) * heads + l] = score;
            max = Math.max(max, score);
          }
          double sum = 0;
          for (int e = from; e < to; e++) {
            int a = (s * edges + e) * heads + l;
            w.alpha[a] = Math.exp(w.alpha[a] - max);
            sum += w.alpha[a];
          }
          for (int e = from; e < to; e++) {
            int a = (s * edges + e) * heads + l;
            w.alpha[a] /= sum;
            w.mean[s * edges + e] += w.alpha[a] / heads;
          }
        }
      }
    }
    diffuse(w.mean, x, y, batch);
  }

  /** ty = (A - I) tx + (dA) x with dA from the tangents of the queries and keys. */
  @Override
  public void tangent(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment tx, MemorySegment ty, int batch) {
    Scratch w = current;
    int rows = batch * nodes, edges = source.length;
    Blas.gemm(false, true, rows, width, features, 1, tx, queryWeights(p), 0, MemorySegment.ofArray(w.dq));
    Blas.gemm(false, true, rows, width, features, 1, tx, keyWeights(p), 0, MemorySegment.ofArray(w.dk));
    Arrays.fill(w.dmean, 0);
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < nodes; t++) {
        int from = rowStart[t], to = rowStart[t + 1];
        for (int l = 0; l < heads; l++) {
          int qt = query(s, t, l);
          double average = 0;
          for (int e = from; e < to; e++) {
            int ks = query(s, source[e], l);
            double dscore = scale * (dot(w.dq, qt, w.k, ks) + dot(w.q, qt, w.dk, ks));
            w.dscore[e] = dscore;
            average += w.alpha[(s * edges + e) * heads + l] * dscore;
          }
          for (int e = from; e < to; e++) {
            double alpha = w.alpha[(s * edges + e) * heads + l];
            w.dmean[s * edges + e] += alpha * (w.dscore[e] - average) / heads;
          }
        }
      }
    }
    diffuse(w.mean, tx, ty, batch);
    addAttended(w.dmean, x, ty, batch);
  }

  @Override
  public void backward(MemorySegment p, MemorySegment x, MemorySegment y, MemorySegment gy, MemorySegment gx,
      MemorySegment gradient, int batch) {
    Scratch w = current;
    int rows = batch * nodes, edges = source.length;
    Arrays.fill(w.dq, 0);
    Arrays.fill(w.dk, 0);
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < nodes; t++) {
        int from = rowStart[t], to = rowStart[t + 1];
        // gmean_e = gy_t . x_src(e): the gradient of A's entry on edge e.
        for (int e = from; e < to; e++) {
          double sum = 0;
          long gt = ((long) s * nodes + t) * features, xs = ((long) s * nodes + source[e]) * features;
          for (int f = 0; f < features; f++) {
            sum += gy.getAtIndex(D, gt + f) * x.getAtIndex(D, xs + f);
          }
          w.dscore[e] = sum;
        }
        for (int l = 0; l < heads; l++) {
          int qt = query(s, t, l);
          double average = 0;
          for (int e = from; e < to; e++) {
            average += w.alpha[(s * edges + e) * heads + l] * w.dscore[e];
          }
          for (int e = from; e < to; e++) {
            int ks = query(s, source[e], l);
            double g = scale * w.alpha[(s * edges + e) * heads + l] * (w.dscore[e] - average) / heads;
            for (int i = 0; i < keySize; i++) {
              w.dq[qt + i] += g * w.k[ks + i];
              w.dk[ks + i] += g * w.q[qt + i];
            }
          }
        }
      }
    }
    MemorySegment gq = MemorySegment.ofArray(w.dq), gk = MemorySegment.ofArray(w.dk);
    if (gradient != null) {
      Blas.gemm(true, false, width, features, rows, 1, gq, x, 1, queryWeights(gradient));
      Blas.gemm(true, false, width, features, rows, 1, gk, x, 1, keyWeights(gradient));
    }
    if (gx != null) {
      transposeDiffuse(w.mean, gy, gx, batch);
      Blas.gemm(false, false, rows, features, width, 1, gq, queryWeights(p), 1, gx);
      Blas.gemm(false, false, rows, features, width, 1, gk, keyWeights(p), 1, gx);
    }
  }

  /** out_t = -in_t + sum over edges e into t of a_e in_src(e). */
  private void diffuse(double[] a, MemorySegment in, MemorySegment out, int batch) {
    long n = (long) batch * nodes * features;
    for (long i = 0; i < n; i++) {
      out.setAtIndex(D, i, -in.getAtIndex(D, i));
    }
    addAttended(a, in, out, batch);
  }

  /** out_t += sum over edges e into t of a_e in_src(e). */
  private void addAttended(double[] a, MemorySegment in, MemorySegment out, int batch) {
    int edges = source.length;
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < nodes; t++) {
        long ot = ((long) s * nodes + t) * features;
        for (int e = rowStart[t]; e < rowStart[t + 1]; e++) {
          long is = ((long) s * nodes + source[e]) * features;
          double ae = a[s * edges + e];
          for (int f = 0; f < features; f++) {
            out.setAtIndex(D, ot + f, out.getAtIndex(D, ot + f) + ae * in.getAtIndex(D, is + f));
          }
        }
      }
    }
  }

  /** out = (A - I)^T in. */
  private void transposeDiffuse(double[] a, MemorySegment in, MemorySegment out, int batch) {
    int edges = source.length;
    long n = (long) batch * nodes * features;
    for (long i = 0; i < n; i++) {
      out.setAtIndex(D, i, -in.getAtIndex(D, i));
    }
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < nodes; t++) {
        long it = ((long) s * nodes + t) * features;
        for (int e = rowStart[t]; e < rowStart[t + 1]; e++) {
          long os = ((long) s * nodes + source[e]) * features;
          double ae = a[s * edges + e];
          for (int f = 0; f < features; f++) {
            out.setAtIndex(D, os + f, out.getAtIndex(D, os + f) + ae * in.getAtIndex(D, it + f));
          }
        }
      }
    }
  }

  /** Where head l of node t of sample s starts in the query (and key) arrays. */
  private int query(int s, int t, int l) {
    return (s * nodes + t) * width + l * keySize;
  }

  private double dot(double[] a, int i, double[] b, int j) {
    double sum = 0;
    for (int n = 0; n < keySize; n++) {
      sum += a[i + n] * b[j + n];
    }
    return sum;
  }

  /** Queries, keys, attention and their tangents or gradients for one batch size. */
  private final class Scratch {
    final double[] q, k, dq, dk, alpha, mean, dmean, dscore;

    Scratch(int batch) {
      int rows = batch * nodes * width;
      q = new double[rows];
      k = new double[rows];
      dq = new double[rows];
      dk = new double[rows];
      alpha = new double[batch * source.length * heads];
      mean = new double[batch * source.length];
      dmean = new double[batch * source.length];
      dscore = new double[source.length];
    }
  }
}

package org.panode.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A node-classification graph in the gnn-benchmark .npz layout (Shchur et al. 2018), such as Cora:
 * the adjacency and the node features as CSR parts ({@code adj_data, adj_indices, adj_indptr,
 * adj_shape}, {@code attr_*}), {@code labels} (one class id per node) and optionally
 * {@code class_names}. The adjacency is made undirected: an edge i -> j in the file gives both i -> j
 * and j -> i, duplicates and the file's self-loops dropped; {@link #withSelfLoops()} adds one
 * self-loop per node (GRAND's attention includes the node itself). Features are dense, row-major
 * N x F, the file's values (binary bag-of-words for Cora) unnormalized.
 *
 * @param source edge sources, sorted by (source, target), each undirected edge once per direction
 * @param target edge targets
 */
public record CitationGraph(int nodes, int featureCount, double[] features, int[] labels, int classes,
    String[] classNames, int[] source, int[] target) {
  public CitationGraph {
    if (features.length != (long) nodes * featureCount || labels.length != nodes || source.length != target.length) {
      throw new IllegalArgumentException("inconsistent graph: " + nodes + " nodes, " + featureCount + " features, "
          + features.length + " feature values, " + labels.length + " labels, " + source.length + "/" + target.length
          + " edge ends");
    }
  }

  /** Reads a .npz file; a clear error if it is missing or its arrays do not fit together. */
  public static CitationGraph read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no graph file here");
    }
    NamedArrays a = Npz.read(file);
    try {
      int[] adjShape = a.longs("adj_shape").ints();
      int[] attrShape = a.longs("attr_shape").ints();
      if (adjShape.length != 2 || adjShape[0] != adjShape[1]) {
        throw new IllegalArgumentException("adj_shape must be (N, N), got " + Arrays.toString(adjShape));
      }
      int n = adjShape[0];
      if (attrShape.length != 2 || attrShape[0] != n) {
        throw new IllegalArgumentException("attr_shape must be (" + n + ", F), got " + Arrays.toString(attrShape));
      }
      int f = attrShape[1];
      int[] labels = a.longs("labels").ints();
      if (labels.length != n) {
        throw new IllegalArgumentException("labels has " + labels.length + " entries for " + n + " nodes");
      }
      int classes = 0;
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0) {
          throw new IllegalArgumentException("node " + i + " has label " + labels[i]);
        }
        classes = Math.max(classes, labels[i] + 1);
      }
      String[] classNames = a.arrays().containsKey("class_names") ? a.strings("class_names").data() : null;
      if (classNames != null && classNames.length < classes) {
        throw new IllegalArgumentException(classNames.length + " class names for labels up to " + (classes - 1));
      }
      if (classNames != null) {
        classes = classNames.length;
      }
      double[] features = new double[n * f];
      Csr attr = Csr.of(a, "attr", n, f);
      for (int i = 0; i < n; i++) {
        for (int k = attr.indptr[i]; k < attr.indptr[i + 1]; k++) {
          features[i * f + attr.indices[k]] += attr.data[k];
        }
      }
      Csr adj = Csr.of(a, "adj", n, n);
      TreeSet<Long> edges = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        for (int k = adj.indptr[i]; k < adj.indptr[i + 1]; k++) {
          int j = adj.indices[k];
          if (j != i && adj.data[k] != 0) {
            edges.add((long) i * n + j);
            edges.add((long) j * n + i);
          }
        }
      }
      int[] src = new int[edges.size()], dst = new int[edges.size()];
      int e = 0;
      for (long edge : edges) {
        src[e] = (int) (edge / n);
        dst[e++] = (int) (edge % n);
      }
      return new CitationGraph(n, f, features, labels, classes, classNames, src, dst);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The number of directed edges (twice the undirected ones), self-loops not included. */
  public int edges() {
    return source.length;
  }

  /** The edges plus one self-loop per node, as {sources, targets}. */
  public int[][] withSelfLoops() {
    int m = source.length;
    int[] src = Arrays.copyOf(source, m + nodes), dst = Arrays.copyOf(target, m + nodes);
    for (int i = 0; i < nodes; i++) {
      src[m + i] = i;
      dst[m + i] = i;
    }
    return new int[][] {src, dst};
  }

  /** How many nodes carry each label. */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** The .npz files of this layout live in shared/data/graphs of the project's checkout tree. */
  public static Path locate(String name) throws IOException {
    String env = System.getenv("PANODE_GRAPHS");
    if (env != null && !env.isBlank()) {
      return Path.of(env).resolve(name);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve("graphs").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new java.nio.file.NoSuchFileException(name, null,
        "not found in shared/data/graphs of this or a parent folder; set PANODE_GRAPHS to its folder");
  }

  /** One CSR matrix's parts, checked. */
  private record Csr(double[] data, int[] indices, int[] indptr) {
    static Csr of(NamedArrays a, String prefix, int rows, int columns) {
      double[] data = a.doubles(prefix + "_data").data();
      int[] indices = a.longs(prefix + "_indices").ints();
      int[] indptr = a.longs(prefix + "_indptr").ints();
      if (indptr.length != rows + 1 || indptr[0] != 0 || indptr[rows] != indices.length || data.length != indices.length) {
        throw new IllegalArgumentException(prefix + ": CSR parts do not fit " + rows + " rows: indptr has " + indptr.length
            + " entries ending at " + (indptr.length == 0 ? "-" : indptr[indptr.length - 1]) + ", " + indices.length
            + " indices, " + data.length + " values");
      }
      for (int r = 0; r < rows; r++) {
        if (indptr[r + 1] < indptr[r]) {
          throw new IllegalArgumentException(prefix + "_indptr decreases at row " + r);
        }
      }
      for (int k = 0; k < indices.length; k++) {
        if (indices[k] < 0 || indices[k] >= columns) {
          throw new IllegalArgumentException(prefix + "_indices[" + k + "] = " + indices[k] + " is outside 0.." + (columns - 1));
        }
      }
      return new Csr(data, indices, indptr);
    }
  }
}

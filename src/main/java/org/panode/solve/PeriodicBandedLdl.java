package org.panode.solve;

/**
 * The factorization of a symmetric positive-definite periodic banded matrix A of order d,
 * A[i][j] = a[k] where k = min(|j - i|, d - |j - i|) <= b (0 beyond the bandwidth b), for solves
 * in about (3b + 1) d multiply-adds per right-hand side. The last b unknowns are the border that
 * closes the period: with A11 the leading m = d - b rows and columns (banded, no wrap-around),
 * A11 = L D L^T, W = A11^-1 A12 and the b x b Schur complement S = A22 - A12^T W, a solve is
 * y1 = A11^-1 f1, x2 = S^-1 (f2 - A12^T y1), x1 = y1 - W x2.
 *
 * <p>Right-hand sides are solved together, value i of each in the array x[i], so every inner loop
 * runs over the right-hand sides, between two different arrays, and the JIT vectorizes it.
 */
final class PeriodicBandedLdl {
  /** A pivot below this fraction of ||A||_inf (condition above about 1e10) is refused. */
  private static final double MIN_RELATIVE_PIVOT = 1e-10;

  final int d;
  final int b;
  private final int m;
  private final double[] lower; // lower[i b + k - 1] = L[i][i - k], k = 1..b
  private final double[] inverseDiagonal; // 1 / D[i], i < m
  private final double[] w; // W[i][c] at i b + c
  private final double[] schurInverse; // S^-1, b x b row-major
  private final int[][] borderRows; // for border column c: the rows i < m where A[i][m + c] is in the band
  private final double[][] borderValues;

  private PeriodicBandedLdl(int d, int b) {
    this.d = d;
    this.b = b;
    this.m = d - b;
    this.lower = new double[m * b];
    this.inverseDiagonal = new double[m];
    this.w = new double[m * b];
    this.schurInverse = new double[b * b];
    this.borderRows = new int[b][];
    this.borderValues = new double[b][];
  }

  /**
   * Factors A given its band a[0..b] (a[0] the diagonal, a[k] the entries at distance k); null when
   * A is not positive definite or too close to singular (the caller then uses another solver).
   */
  static PeriodicBandedLdl factor(double[] a, int d) {
    int b = a.length - 1;
    if (b < 0 || d <= 2 * b) {
      throw new IllegalArgumentException("a bandwidth of " + b + " needs d > " + 2 * b + ", got d = " + d);
    }
    double norm = Math.abs(a[0]);
    for (int k = 1; k <= b; k++) {
      norm += 2 * Math.abs(a[k]);
    }
    double minPivot = MIN_RELATIVE_PIVOT * norm;
    PeriodicBandedLdl f = new PeriodicBandedLdl(d, b);
    return f.factorInterior(a, minPivot) && f.factorBorder(a, minPivot) ? f : null;
  }

  /** The periodic distance between indices i and j: min(|j - i|, d - |j - i|). */
  private static int distance(int i, int j, int d) {
    int off = Math.floorMod(j - i, d);
    return Math.min(off, d - off);
  }

  /** A[i][j] from the band, periodic. */
  private static double entry(double[] a, int d, int i, int j) {
    int k = distance(i, j, d);
    return k < a.length ? a[k] : 0;
  }

  /** L[i][q] for 1 <= i - q <= b. */
  private double l(int i, int q) {
    return lower[i * b + (i - q) - 1];
  }

  /** Banded LDL^T of A11, row by row. */
  private boolean factorInterior(double[] a, double minPivot) {
    double[] diagonal = new double[m];
    for (int i = 0; i < m; i++) {
      for (int j = Math.max(0, i - b); j < i; j++) {
        double s = a[i - j];
        for (int q = Math.max(0, i - b); q < j; q++) {
          s -= l(i, q) * l(j, q) * diagonal[q];
        }
        lower[i * b + (i - j) - 1] = s / diagonal[j];
      }
      double p = a[0];
      for (int q = Math.max(0, i - b); q < i; q++) {
        double lq = l(i, q);
        p -= lq * lq * diagonal[q];
      }
      if (!(p > minPivot) || !Double.isFinite(p)) {
        return false;
      }
      diagonal[i] = p;
      inverseDiagonal[i] = 1 / p;
    }
    return true;
  }

  /** W, the Schur complement S and its inverse (by Cholesky, which also checks S is positive definite). */
  private boolean factorBorder(double[] a, double minPivot) {
    if (b == 0) {
      return true;
    }
    double[][] column = new double[m][1]; // A12's column c, then W's
    for (int c = 0; c < b; c++) {
      int border = m + c;
      borderRows[c] = java.util.stream.IntStream.range(0, m).filter(i -> distance(i, border, d) <= b).toArray();
      borderValues[c] = new double[borderRows[c].length];
      for (int i = 0; i < m; i++) {
        column[i][0] = 0;
      }
      for (int t = 0; t < borderRows[c].length; t++) {
        borderValues[c][t] = entry(a, d, borderRows[c][t], border);
        column[borderRows[c][t]][0] = borderValues[c][t];
      }
      solveInterior(column, 1);
      for (int i = 0; i < m; i++) {
        w[i * b + c] = column[i][0];
      }
    }
    double[] s = new double[b * b];
    for (int c = 0; c < b; c++) {
      for (int e = 0; e < b; e++) {
        double v = entry(a, d, m + c, m + e);
        for (int n = 0; n < borderRows[c].length; n++) {
          v -= borderValues[c][n] * w[borderRows[c][n] * b + e];
        }
        s[c * b + e] = v;
      }
    }
    // Cholesky S = R R^T (R lower, in place), then S^-1 column by column.
    for (int j = 0; j < b; j++) {
      double p = s[j * b + j];
      for (int q = 0; q < j; q++) {
        p -= s[j * b + q] * s[j * b + q];
      }
      if (!(p > minPivot) || !Double.isFinite(p)) {
        return false;
      }
      double r = Math.sqrt(p);
      s[j * b + j] = r;
      for (int i = j + 1; i < b; i++) {
        double v = s[i * b + j];
        for (int q = 0; q < j; q++) {
          v -= s[i * b + q] * s[j * b + q];
        }
        s[i * b + j] = v / r;
      }
    }
    double[] x = new double[b];
    for (int e = 0; e < b; e++) {
      for (int i = 0; i < b; i++) { // R y = e_e
        double v = i == e ? 1 : 0;
        for (int q = 0; q < i; q++) {
          v -= s[i * b + q] * x[q];
        }
        x[i] = v / s[i * b + i];
      }
      for (int i = b - 1; i >= 0; i--) { // R^T x = y
        double v = x[i];
        for (int q = i + 1; q < b; q++) {
          v -= s[q * b + i] * x[q];
        }
        x[i] = v / s[i * b + i];
      }
      for (int i = 0; i < b; i++) {
        schurInverse[i * b + e] = x[i];
      }
    }
    return true;
  }

  /**
   * x1 <- A11^-1 x1 for n right-hand sides (rows 0..m-1 of x): forward substitution with L, then the
   * backward one with D^-1 L^T.
   */
  private void solveInterior(double[][] x, int n) {
    for (int i = 1; i < m; i++) {
      double[] row = x[i];
      for (int k = 1, kEnd = Math.min(i, b); k <= kEnd; k++) {
        subtract(row, lower[i * b + k - 1], x[i - k], n);
      }
    }
    for (int i = m - 1; i >= 0; i--) {
      double[] row = x[i];
      double inverse = inverseDiagonal[i];
      if (i + 1 < m && b > 0) { // the scaling fused with the first term
        double l1 = lower[(i + 1) * b];
        double[] next = x[i + 1];
        for (int s = 0; s < n; s++) {
          row[s] = row[s] * inverse - l1 * next[s];
        }
      } else {
        for (int s = 0; s < n; s++) {
          row[s] *= inverse;
        }
      }
      for (int k = 2, kEnd = Math.min(b, m - 1 - i); k <= kEnd; k++) {
        subtract(row, lower[(i + k) * b + k - 1], x[i + k], n);
      }
    }
  }

  /** row[s] -= v from[s], s < n (separate arrays, so the JIT vectorizes it). */
  private static void subtract(double[] row, double v, double[] from, int n) {
    for (int s = 0; s < n; s++) {
      row[s] -= v * from[s];
    }
  }

  /**
   * x <- A^-1 x for n right-hand sides: x[i][s] is value i of right-hand side s (the right-hand
   * sides are the inner, contiguous dimension); border holds b arrays of at least n doubles.
   */
  void solve(double[][] x, int n, double[][] border) {
    solveInterior(x, n);
    if (b == 0) {
      return;
    }
    // r = f2 - A12^T y1 (A12^T's rows are A12's columns: A is symmetric)
    for (int c = 0; c < b; c++) {
      int[] rows = borderRows[c];
      double[] values = borderValues[c];
      for (int t = 0; t < rows.length; t++) {
        subtract(x[m + c], values[t], x[rows[t]], n);
      }
    }
    // x2 = S^-1 r
    for (int c = 0; c < b; c++) {
      java.util.Arrays.fill(border[c], 0, n, 0.0);
      for (int e = 0; e < b; e++) {
        subtract(border[c], -schurInverse[c * b + e], x[m + e], n);
      }
    }
    for (int c = 0; c < b; c++) {
      System.arraycopy(border[c], 0, x[m + c], 0, n);
    }
    // x1 = y1 - W x2
    for (int i = 0; i < m; i++) {
      for (int c = 0; c < b; c++) {
        subtract(x[i], w[i * b + c], x[m + c], n);
      }
    }
  }
}

package org.panode.ode;

/**
 * A linear term whose matrix is circulant (periodic in both indices): J[i][j] = row[(j - i) mod d].
 * Its shifted systems shift * I - J are diagonal in Fourier space, so they are solved by FFT in
 * O(d log d) per right-hand side instead of a dense LU's O(d^2), or, for a symmetric banded row,
 * by a periodic banded LDL^T in O(b d).
 */
public interface CirculantTerm extends LinearTerm {
  /** Writes J's first row (d values): J[i][j] = row[(j - i) mod d]. */
  void circulantRow(double[] row);
}

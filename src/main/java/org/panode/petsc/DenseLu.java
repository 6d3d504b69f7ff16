package org.panode.petsc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The LU factorization of a small dense d x d matrix (LAPACK dgetrf from the BLAS/LAPACK PETSc is
 * linked with), and solves with many right-hand sides at once (dgetrs): a sample-major batch of m
 * states is the column-major d x m right-hand side, solved in place without copying. Used for
 * shift * I - J in IMEX stages: factor once, solve every stage, step, sample and adjoint with it.
 */
public final class DenseLu implements AutoCloseable {
  private static final Linker LINKER = Linker.nativeLinker();
  private static MethodHandle dgetrf;
  private static MethodHandle dgetrs;

  private final int n;
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment factors;
  private final MemorySegment pivots;
  private final MemorySegment scalars;
  private boolean factored;

  public DenseLu(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("matrix size must be positive, got " + n);
    }
    Petsc.checkThread();
    bind();
    this.n = n;
    this.factors = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) n * n);
    this.pivots = arena.allocate(ValueLayout.JAVA_INT, n);
    // n, nrhs, lda, ldb, info, and the 'N'/'T' flag, as the Fortran calling convention wants pointers.
    this.scalars = arena.allocate(ValueLayout.JAVA_INT, 8);
    if (!checked && !checking) {
      try {
        selfCheck();
      } catch (RuntimeException e) {
        arena.close();
        throw e;
      }
    }
  }

  private static boolean checking;
  private static boolean checked;

  /**
   * Solves a 64 x 64 system with two right-hand sides once per process: a LAPACK bound to the
   * wrong OpenBLAS (see org.panode.nn.SystemOpenBlas) gives residuals of order 1, which would
   * otherwise surface as diverged or silently wrong implicit solves.
   */
  private static void selfCheck() {
    checking = true;
    int n = 64;
    double[] a = new double[n * n];
    double[] b = new double[2 * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i * n + j] = Math.sin(1 + i + 3.0 * j) + (i == j ? 10 : 0);
      }
      b[i] = Math.cos(i);
      b[n + i] = 1.0 / (1 + i);
    }
    double residual = 0;
    try (DenseLu lu = new DenseLu(n); Arena scratch = Arena.ofConfined()) {
      lu.factor(a);
      MemorySegment x = scratch.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
      lu.solveInPlace(x, 2, false);
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < n; i++) {
          double ax = 0;
          for (int j = 0; j < n; j++) {
            ax += a[i * n + j] * x.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) c * n + j);
          }
          residual = Math.max(residual, Math.abs(ax - b[c * n + i]));
        }
      }
    } finally {
      checking = false;
    }
    if (!(residual < 1e-10)) {
      throw new IllegalStateException("the LAPACK next to libpetsc solves wrongly (residual " + residual + " on a 64 x 64 test"
          + " system): a library with the same soname, e.g. ND4J's OpenBLAS, was loaded before PETSc's; initialise PETSc or"
          + " call org.panode.nn.SystemOpenBlas.loadFirst() before using ND4J");
    }
    checked = true;
  }

  private static synchronized void bind() {
    if (dgetrf != null) {
      return;
    }
    // Through libpetsc's own dependencies (the system LAPACK PETSc links), not the class loader's
    // libraries: those include ND4J's OpenBLAS 0.3.19, whose LU is wrong on these AVX-512 CPUs.
    SymbolLookup lookup = PetscLibrary.symbols();
    MemorySegment getrf = lookup.find("dgetrf_").orElseThrow(() -> new IllegalStateException("LAPACK dgetrf_ not found next to libpetsc"));
    MemorySegment getrs = lookup.find("dgetrs_").orElseThrow(() -> new IllegalStateException("LAPACK dgetrs_ not found next to libpetsc"));
    ValueLayout p = ValueLayout.ADDRESS;
    dgetrf = LINKER.downcallHandle(getrf, FunctionDescriptor.ofVoid(p, p, p, p, p, p));
    // dgetrs(trans, n, nrhs, a, lda, ipiv, b, ldb, info, trans_len): gfortran adds the hidden length.
    dgetrs = LINKER.downcallHandle(getrs, FunctionDescriptor.ofVoid(p, p, p, p, p, p, p, p, p, ValueLayout.JAVA_LONG));
  }

  public int size() {
    return n;
  }

  /** Factors the matrix given row-major (n * n values). */
  public void factor(double[] rowMajor) {
    if (rowMajor.length != n * n) {
      throw new IllegalArgumentException("expected " + n * n + " values for a " + n + " x " + n + " matrix, got " + rowMajor.length);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        factors.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * n + i, rowMajor[i * n + j]);
      }
    }
    scalars.setAtIndex(ValueLayout.JAVA_INT, 0, n);
    MemorySegment size = scalars.asSlice(0, 4), info = scalars.asSlice(16, 4);
    try {
      dgetrf.invokeExact(size, size, factors, size, pivots, info);
    } catch (Throwable t) {
      throw new IllegalStateException("dgetrf failed", t);
    }
    int code = info.get(ValueLayout.JAVA_INT, 0);
    if (code != 0) {
      factored = false;
      throw new ArithmeticException(code > 0
          ? "the matrix is singular: U(" + code + "," + code + ") is exactly zero"
          : "dgetrf: argument " + (-code) + " is invalid");
    }
    factored = true;
  }

  /** Solves A X = B (or A^T X = B) in place for the column-major n x columns matrix in {@code b}. */
  public void solveInPlace(MemorySegment b, int columns, boolean transpose) {
    if (!factored) {
      throw new IllegalStateException("factor a matrix before solving");
    }
    if (b.byteSize() < 8L * n * columns) {
      throw new IllegalArgumentException("right-hand side has " + b.byteSize() / 8 + " values, need " + (long) n * columns);
    }
    if (columns == 0) {
      return;
    }
    scalars.setAtIndex(ValueLayout.JAVA_INT, 0, n);
    scalars.setAtIndex(ValueLayout.JAVA_INT, 1, columns);
    scalars.set(ValueLayout.JAVA_BYTE, 20, (byte) (transpose ? 'T' : 'N'));
    MemorySegment size = scalars.asSlice(0, 4), nrhs = scalars.asSlice(4, 4), info = scalars.asSlice(16, 4);
    try {
      dgetrs.invokeExact(scalars.asSlice(20, 1), size, nrhs, factors, size, pivots, b, size, info, 1L);
    } catch (Throwable t) {
      throw new IllegalStateException("dgetrs failed", t);
    }
    int code = info.get(ValueLayout.JAVA_INT, 0);
    if (code != 0) {
      throw new IllegalStateException("dgetrs: argument " + (-code) + " is invalid");
    }
  }

  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }
}

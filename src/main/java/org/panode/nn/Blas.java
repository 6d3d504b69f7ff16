package org.panode.nn;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Row-major double GEMM and GEMV on segments: {@code cblas_dgemm} and {@code cblas_dgemv} of the
 * {@link BlasLibrary} (the system's OpenBLAS, shared with PETSc), called through the FFM API as
 * critical functions, so heap segments are passed without copying too. Public for the solvers'
 * own dense products (the circulant inverse of {@code org.panode.solve}); time it with {@link BlasProfile}.
 */
public final class Blas {
  static {
    SystemOpenBlas.loadFirst(); // before ND4J's OpenBLAS: see SystemOpenBlas
  }

  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final FunctionDescriptor SIGNATURE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE,
      ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE,
      ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
  private static final FunctionDescriptor GEMV_SIGNATURE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
      ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
  private static final MethodHandle DGEMM = loadOrFail("cblas_dgemm", SIGNATURE);
  private static final MethodHandle DGEMV = loadOrFail("cblas_dgemv", GEMV_SIGNATURE);

  private Blas() {}

  /** A bad BLAS setting makes every call throw its one-line reason (not an ExceptionInInitializerError). */
  private static MethodHandle loadOrFail(String name, FunctionDescriptor signature) {
    try {
      MemorySegment symbol = BlasLibrary.symbols().findOrThrow(name);
      return Linker.nativeLinker().downcallHandle(symbol, signature, Linker.Option.critical(true));
    } catch (RuntimeException e) {
      MethodHandle fail = MethodHandles.insertArguments(MethodHandles.throwException(void.class, RuntimeException.class), 0, e);
      return MethodHandles.dropArguments(fail, 0, signature.toMethodType().parameterList());
    }
  }

  /**
   * C = alpha op(A) op(B) + beta C with row-major, contiguous C (m x n), op(A) (m x k) and op(B)
   * (k x n); op transposes when asked (A is then stored k x m, B n x k).
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, MemorySegment a,
      MemorySegment b, double beta, MemorySegment c) {
    gemm(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
  }

  /**
   * The same with leading dimensions (row strides, in doubles): A's rows lda apart, B's ldb, C's
   * ldc, e.g. a block of columns of a wider matrix.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
      MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
    require(a, transA ? k : m, transA ? m : k, lda, "A");
    require(b, transB ? n : k, transB ? k : n, ldb, "B");
    require(c, m, n, ldc, "C");
    long start = BlasProfile.ON ? System.nanoTime() : 0;
    try {
      DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
          a, lda, b, ldb, beta, c, ldc);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cblas_dgemm failed", e);
    }
    if (BlasProfile.ON) {
      BlasProfile.gemm(m, n, k, System.nanoTime() - start);
    }
  }

  /**
   * y = alpha op(A) x + beta y with row-major, contiguous A (m x n); op transposes when asked (x then
   * has m entries and y n, else x n and y m).
   */
  public static void gemv(boolean transA, int m, int n, double alpha, MemorySegment a, MemorySegment x, double beta, MemorySegment y) {
    gemv(transA, m, n, alpha, a, n, x, beta, y);
  }

  /** The same with A's rows lda doubles apart. */
  public static void gemv(boolean transA, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x, double beta,
      MemorySegment y) {
    require(a, m, n, lda, "A");
    require(x, transA ? m : n, "x");
    require(y, transA ? n : m, "y");
    long start = BlasProfile.ON ? System.nanoTime() : 0;
    try {
      DGEMV.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, m, n, alpha, a, lda, x, 1, beta, y, 1);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cblas_dgemv failed", e);
    }
    if (BlasProfile.ON) {
      BlasProfile.gemv(System.nanoTime() - start);
    }
  }

  /** A rows x cols matrix with rows ld doubles apart fits in s. */
  private static void require(MemorySegment s, int rows, int cols, int ld, String what) {
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException("BLAS operand " + what + ": leading dimension " + ld + " < its " + cols + " columns");
    }
    require(s, rows == 0 ? 0 : (long) (rows - 1) * ld + cols, what);
  }

  private static void require(MemorySegment s, long doubles, String what) {
    if (s.byteSize() < 8 * doubles) {
      throw new IllegalArgumentException("BLAS operand " + what + " holds " + s.byteSize() / 8 + " doubles, needs " + doubles);
    }
  }
}

package org.panode.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major double GEMM on segments: OpenBLAS's {@code cblas_dgemm}, from the OpenBLAS that
 * JavaCPP unpacks for ND4J, called through the FFM API as a critical function, so heap segments
 * are passed without copying too.
 */
final class Blas {
  static {
    SystemOpenBlas.loadFirst(); // before ND4J's OpenBLAS: see SystemOpenBlas
  }

  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final MethodHandle DGEMM = load();

  private Blas() {}

  /** ND4J's OpenBLAS (through the JNI library that links it). */
  static SymbolLookup library() {
    String jni = Loader.load(openblas_nolapack.class);
    return SymbolLookup.libraryLookup(Path.of(jni), Arena.global());
  }

  private static MethodHandle load() {
    // The JNI library links libopenblas_nolapack; looking symbols up in it finds cblas_dgemm there.
    MemorySegment symbol = library().findOrThrow("cblas_dgemm");
    ValueLayout i = ValueLayout.JAVA_INT, d = ValueLayout.JAVA_DOUBLE, p = ValueLayout.ADDRESS;
    FunctionDescriptor signature = FunctionDescriptor.ofVoid(i, i, i, i, i, i, d, p, i, p, i, d, p, i);
    return Linker.nativeLinker().downcallHandle(symbol, signature, Linker.Option.critical(true));
  }

  /**
   * C = alpha op(A) op(B) + beta C with row-major, contiguous C (m x n), op(A) (m x k) and op(B)
   * (k x n); op transposes when asked (A is then stored k x m, B n x k).
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, MemorySegment a,
      MemorySegment b, double beta, MemorySegment c) {
    require(a, (long) m * k, "A");
    require(b, (long) k * n, "B");
    require(c, (long) m * n, "C");
    try {
      DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
          a, transA ? m : k, b, transB ? k : n, beta, c, n);
    } catch (Throwable e) {
      throw new IllegalStateException("cblas_dgemm failed", e);
    }
  }

  private static void require(MemorySegment s, long doubles, String what) {
    if (s.byteSize() < 8 * doubles) {
      throw new IllegalArgumentException("GEMM operand " + what + " holds " + s.byteSize() / 8 + " doubles, needs " + doubles);
    }
  }
}

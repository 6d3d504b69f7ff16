/**
 * Neural-network right-hand sides as {@link org.panode.ode.Term}s: layers with exact forward,
 * tangent (JVP) and backward (VJP) passes, a {@link org.panode.nn.Network} that keeps all
 * parameters in one flat native buffer, and {@link org.panode.nn.Dl4jTerm} for an existing DL4J
 * network.
 *
 * <p>The hot path calls {@code cblas_dgemm} of the system's OpenBLAS, the one PETSc's LAPACK uses
 * ({@link org.panode.nn.BlasLibrary}: one library, one thread pool), through the FFM API on the
 * callers' segments, with elementwise work in Java loops:
 * on the two-core development machine an ND4J op costs 25-250 us before any arithmetic
 * (docs/benchmarks-nn.md), more than a whole small GEMM. ND4J arrays are used where ND4J code needs
 * them: {@link org.panode.nn.Dl4jTerm} and {@link org.panode.nn.SegmentArrays}.
 */
package org.panode.nn;

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panode.internal.bindings.PanodeMatMultFn;
import org.panode.internal.bindings.PetscApi;

/** A PETSc matrix: dense, sparse AIJ, or a shell whose products are Java code. */
public final class Mat extends NativeHandle {
  /** y = A x (or A^T x) for a shell matrix; x and y are valid only during the call. */
  @FunctionalInterface
  public interface Product {
    void apply(Vec x, Vec y);
  }

  private Mat(MemorySegment handle) {
    super("Mat", handle, PetscApi::MatDestroy);
  }

  private Mat() {
    super("Mat");
  }

  static Mat borrowed() {
    return new Mat();
  }

  /** A dense rows x cols matrix on this process, zero. */
  public static Mat dense(int rows, int cols) {
    return dense(Comm.self(), -1, -1, rows, cols);
  }

  /** A dense matrix on the communicator (local sizes -1 for PETSC_DECIDE). */
  public static Mat dense(Comm comm, int localRows, int localCols, int rows, int cols) {
    checkSizes(rows, cols);
    Mat m = create(cell -> MatCreateDense(comm.handle(), decide(localRows), decide(localCols), rows, cols,
        MemorySegment.NULL, cell), "MatCreateDense");
    m.zeroAndAssemble();
    return m;
  }

  /** A sparse AIJ rows x cols matrix on this process with room for nonzerosPerRow per row. */
  public static Mat aij(int rows, int cols, int nonzerosPerRow) {
    return aij(Comm.self(), -1, -1, rows, cols, nonzerosPerRow);
  }

  /** A sparse AIJ matrix on the communicator (preallocation per row, diagonal and off-diagonal blocks alike). */
  public static Mat aij(Comm comm, int localRows, int localCols, int rows, int cols, int nonzerosPerRow) {
    checkSizes(rows, cols);
    if (nonzerosPerRow < 0) {
      throw new IllegalArgumentException("nonzerosPerRow must be >= 0, got " + nonzerosPerRow);
    }
    return create(cell -> MatCreateAIJ(comm.handle(), decide(localRows), decide(localCols), rows, cols,
        nonzerosPerRow, MemorySegment.NULL, nonzerosPerRow, MemorySegment.NULL, cell), "MatCreateAIJ");
  }

  /**
   * A shell matrix on this process whose product is {@code mult} and, if not null, whose transpose
   * product is {@code multTranspose}. An exception thrown by either becomes the cause of the
   * PetscException of the PETSc call that used the matrix.
   */
  public static Mat shell(int rows, int cols, Product mult, Product multTranspose) {
    return shell(Comm.self(), -1, -1, rows, cols, mult, multTranspose);
  }

  public static Mat shell(Comm comm, int localRows, int localCols, int rows, int cols, Product mult, Product multTranspose) {
    checkSizes(rows, cols);
    if (mult == null) {
      throw new IllegalArgumentException("a shell matrix needs a mult operation");
    }
    Mat m = create(cell -> MatCreateShell(comm.handle(), decide(localRows), decide(localCols), rows, cols,
        MemorySegment.NULL, cell), "MatCreateShell");
    try {
      m.setShellProduct(MATOP_MULT(), mult);
      if (multTranspose != null) {
        m.setShellProduct(MATOP_MULT_TRANSPOSE(), multTranspose);
      }
      PetscErrors.check(MatSetUp(m.ptr()), "MatSetUp");
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  private void setShellProduct(int operation, Product product) {
    Vec x = Vec.borrowed();
    Vec y = Vec.borrowed();
    MemorySegment stub = PanodeMatMultFn.allocate((mat, xPtr, yPtr) -> {
      try {
        x.bind(xPtr);
        y.bind(yPtr);
        product.apply(x, y);
        return 0;
      } catch (Throwable t) {
        return PetscErrors.callbackFailed(t);
      } finally {
        x.unbind();
        y.unbind();
      }
    }, arena());
    PetscErrors.check(MatShellSetOperation(ptr(), operation, stub), "MatShellSetOperation");
  }

  private static int decide(int localSize) {
    return localSize < 0 ? PETSC_DECIDE() : localSize;
  }

  private static void checkSizes(int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("matrix sizes must be positive, got " + rows + " x " + cols);
    }
  }

  private static Mat create(Scratch.Call call, String what) {
    Petsc.checkThread();
    return new Mat(Scratch.pointerOut(call, what));
  }

  private void zeroAndAssemble() {
    PetscErrors.check(MatSetUp(ptr()), "MatSetUp");
    zero();
  }

  /** Global rows. */
  public int rows() {
    return Scratch.intOut(cell -> MatGetSize(ptr(), cell, MemorySegment.NULL), "MatGetSize");
  }

  /** Global columns. */
  public int cols() {
    return Scratch.intOut(cell -> MatGetSize(ptr(), MemorySegment.NULL, cell), "MatGetSize");
  }

  /** Sets one entry (call {@link #assemble()} after the last one). */
  public Mat set(int row, int col, double value) {
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(MatSetValues(ptr(), 1, arena.allocateFrom(C_INT, row), 1, arena.allocateFrom(C_INT, col),
          arena.allocateFrom(C_DOUBLE, value), INSERT_VALUES()), "MatSetValues");
    }
    return this;
  }

  /** Sets a block: values row-major, rows.length x cols.length (call {@link #assemble()} after). */
  public Mat set(int[] rows, int[] cols, double[] values) {
    if (values.length != rows.length * cols.length) {
      throw new IllegalArgumentException("expected " + rows.length * cols.length + " values for a "
          + rows.length + " x " + cols.length + " block, got " + values.length);
    }
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(MatSetValues(ptr(), rows.length, arena.allocateFrom(C_INT, rows), cols.length,
          arena.allocateFrom(C_INT, cols), arena.allocateFrom(C_DOUBLE, values), INSERT_VALUES()), "MatSetValues");
    }
    return this;
  }

  /** Sets all entries from a row-major array of rows() x cols() values (small matrices). */
  public Mat setAll(double[] rowMajor) {
    int r = rows(), c = cols();
    set(range(r), range(c), rowMajor);
    return assemble();
  }

  /**
   * A row-major copy of this process's rows, all columns (small matrices; on one process all of it).
   * PETSc reads only the rows a process owns.
   */
  public double[] toArray() {
    int c = cols();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment first = arena.allocate(C_INT), end = arena.allocate(C_INT);
      PetscErrors.check(MatGetOwnershipRange(ptr(), first, end), "MatGetOwnershipRange");
      int from = first.get(C_INT, 0), r = end.get(C_INT, 0) - from;
      if (r == 0) {
        return new double[0];
      }
      MemorySegment out = arena.allocate(C_DOUBLE, (long) r * c);
      PetscErrors.check(MatGetValues(ptr(), r, arena.allocateFrom(C_INT, range(from, r)), c,
          arena.allocateFrom(C_INT, range(0, c)), out), "MatGetValues");
      return out.toArray(ValueLayout.JAVA_DOUBLE);
    }
  }

  private static int[] range(int n) {
    return range(0, n);
  }

  /** from, from + 1, ..., from + n - 1. */
  private static int[] range(int from, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = from + i;
    }
    return idx;
  }

  /** Finishes setting values. */
  public Mat assemble() {
    PetscErrors.check(MatAssemblyBegin(ptr(), MAT_FINAL_ASSEMBLY()), "MatAssemblyBegin");
    PetscErrors.check(MatAssemblyEnd(ptr(), MAT_FINAL_ASSEMBLY()), "MatAssemblyEnd");
    return this;
  }

  /** Sets all entries to zero, keeping the nonzero structure. */
  public Mat zero() {
    PetscErrors.check(MatZeroEntries(ptr()), "MatZeroEntries");
    return assemble();
  }

  /** y = A x. */
  public void mult(Vec x, Vec y) {
    PetscErrors.check(MatMult(ptr(), x.ptr(), y.ptr()), "MatMult");
  }

  /** y = A^T x. */
  public void multTranspose(Vec x, Vec y) {
    PetscErrors.check(MatMultTranspose(ptr(), x.ptr(), y.ptr()), "MatMultTranspose");
  }

  /** A &lt;- A + alpha I. */
  public Mat shift(double alpha) {
    PetscErrors.check(MatShift(ptr(), alpha), "MatShift");
    return this;
  }

  /** A &lt;- alpha A. */
  public Mat scale(double alpha) {
    PetscErrors.check(MatScale(ptr(), alpha), "MatScale");
    return this;
  }

  /** A &lt;- A + alpha X (same nonzero pattern assumed unknown). */
  public Mat axpy(double alpha, Mat x) {
    PetscErrors.check(MatAXPY(ptr(), alpha, x.ptr(), UNKNOWN_NONZERO_PATTERN()), "MatAXPY");
    return this;
  }

  /** A copy with the same values. */
  public Mat copy() {
    return new Mat(Scratch.pointerOut(cell -> MatDuplicate(ptr(), MAT_COPY_VALUES(), cell), "MatDuplicate"));
  }

  /** this &lt;- source (same nonzero pattern). */
  public Mat copyFrom(Mat source) {
    PetscErrors.check(MatCopy(source.ptr(), ptr(), SAME_NONZERO_PATTERN()), "MatCopy");
    return this;
  }

  /** A vector that fits x in A x (columns). */
  public Vec createRightVector() {
    return Vec.adopt(Scratch.pointerOut(cell -> MatCreateVecs(ptr(), cell, MemorySegment.NULL), "MatCreateVecs"));
  }

  /** A vector that fits y in y = A x (rows). */
  public Vec createLeftVector() {
    return Vec.adopt(Scratch.pointerOut(cell -> MatCreateVecs(ptr(), MemorySegment.NULL, cell), "MatCreateVecs"));
  }

  /** PETSc's type name ("seqdense", "seqaij", "shell", ...). */
  public String type() {
    return Scratch.stringOut(cell -> PetscObjectGetType(ptr(), cell), "PetscObjectGetType");
  }
}

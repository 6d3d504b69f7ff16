package org.panode.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.panode.petsc.PetscSession;
import org.testng.annotations.Test;

/** The layers' GEMMs and PETSc's LAPACK run in one OpenBLAS: the same file, the same thread pool. */
public class BlasLibraryTest {
  @Test
  public void layersAndPetscShareOneOpenBlasAndItsPool() throws Throwable {
    Path layers = BlasLibrary.path();
    assertFalse(layers.toString().contains(".javacpp"), "the layers use the system's OpenBLAS, not JavaCPP's copy: " + layers);
    PetscSession.get();
    // PETSc's OpenBLAS, found through libpetsc's own dependencies.
    Linker linker = Linker.nativeLinker();
    MethodHandle petscGet = linker.downcallHandle(org.panode.petsc.PetscSymbols.lookup().findOrThrow("openblas_get_num_threads"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT));
    MemorySegment layersSet = BlasLibrary.symbols().findOrThrow("openblas_set_num_threads");
    MethodHandle set = linker.downcallHandle(layersSet, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
    int before = BlasLibrary.threads();
    try {
      for (int n : new int[] {1, 3}) {
        set.invokeExact(n);
        assertEquals((int) petscGet.invokeExact(), n, "setting the layers' pool sets PETSc's: one library, one pool");
        assertEquals(BlasLibrary.threads(), n);
      }
    } finally {
      set.invokeExact(before);
    }
    long mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.endsWith(layers.toString())).count();
    assertTrue(mapped > 0, layers + " is mapped once, shared with PETSc");
    // A layer computes with it.
    double[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new double[4];
    Blas.gemm(false, false, 2, 2, 2, 1, MemorySegment.ofArray(a), MemorySegment.ofArray(b), 0, MemorySegment.ofArray(c));
    assertEquals(c, new double[] {19, 22, 43, 50});
  }

  @Test
  public void badSettingsAreClearErrors() {
    var missing = expectThrows(IllegalStateException.class, () -> BlasLibrary.choose("/no/such/libblas.so"));
    assertTrue(missing.getMessage().contains("panode.blas.library"), missing.getMessage());
    for (String bad : new String[] {"0", "-2", "two", ""}) {
      var e = expectThrows(IllegalArgumentException.class, () -> BlasLibrary.parseThreads(bad));
      assertTrue(e.getMessage().contains("panode.blas.threads"), e.getMessage());
    }
    assertEquals(BlasLibrary.parseThreads(" 4 "), 4);
    assertTrue(BlasLibrary.choose("bundled").toString().contains(".javacpp"), "'bundled' picks JavaCPP's copy");
  }
}

package org.panode.petsc;

/**
 * Loads ND4J's JavaCPP OpenBLAS before PETSc (what SystemOpenBlas prevents), then makes a DenseLu:
 * prints the kernels that OpenBLAS picked ("core NAME"), then "refused: MESSAGE" if DenseLu's
 * self-check refuses the LAPACK it got, "accepted" if not.
 */
public final class WrongLapackFirst {
  public static void main(String[] args) {
    String library = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
    System.out.println("core " + coreName(library));
    try (Petsc petsc = Petsc.initialize(); DenseLu lu = new DenseLu(4)) {
      System.out.println("accepted");
    } catch (IllegalStateException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }

  /** The kernels the loaded OpenBLAS picked (openblas_get_corename), or "unknown". */
  private static String coreName(String library) {
    try {
      var lookup = java.lang.foreign.SymbolLookup.libraryLookup(java.nio.file.Path.of(library), java.lang.foreign.Arena.global());
      var handle = java.lang.foreign.Linker.nativeLinker().downcallHandle(lookup.findOrThrow("openblas_get_corename"),
          java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS));
      return ((java.lang.foreign.MemorySegment) handle.invokeExact()).reinterpret(64).getString(0);
    } catch (Throwable e) {
      return "unknown";
    }
  }
}

package org.panode.petsc;

/**
 * Loads ND4J's JavaCPP OpenBLAS before PETSc (what SystemOpenBlas prevents), then makes a DenseLu:
 * prints "refused: MESSAGE" if DenseLu's self-check refuses the LAPACK it got, "accepted" if not.
 */
public final class WrongLapackFirst {
  public static void main(String[] args) {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
    try (Petsc petsc = Petsc.initialize(); DenseLu lu = new DenseLu(4)) {
      System.out.println("accepted");
    } catch (IllegalStateException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}

package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * 10,000 create / solve / close cycles of a small TS with callbacks (RHS function and a shell
 * Jacobian): PETSc's allocated memory returns to the same value and the RSS stays flat.
 *
 * <p>The test runs in a JVM of its own with a fixed, pre-touched 256 MiB heap (the surefire
 * execution "memory"), so the RSS moves only with native memory. In a JVM whose heap is not
 * pre-touched, the RSS grows by about 110 MiB over these cycles as the GC first touches heap pages
 * it had only reserved: measured, and not a leak. Measured in blocks of 5,000 cycles after
 * warm-up: RSS 374.5, 375.1, 375.1, 375.1 MiB.
 */
public class MemoryTest {
  @BeforeClass(alwaysRun = true) // the memory execution selects the group, which would skip it
  void session() {
    PetscSession.get();
  }

  private static void cycle() {
    try (Ts ts = Ts.create(Comm.self());
        Vec u = Vec.of(1, 0.5, -0.25);
        Mat shell = Mat.shell(3, 3, (x, y) -> y.copyFrom(x).scale(-2), (x, y) -> y.copyFrom(x).scale(-2))) {
      ts.type("beuler").time(0).timeStep(0.1).maxTime(0.5).exactFinalTime(Ts.ExactFinalTime.MATCHSTEP);
      ts.rhsFunction((t, x, f) -> f.copyFrom(x).scale(-2));
      ts.rhsJacobian(shell, shell, (t, x, a, p) -> {});
      ts.linearProblem(true);
      ts.ksp().type("gmres").pcType("none");
      ts.solve(u);
    }
  }

  @Test(groups = "memory")
  public void tenThousandCyclesLeaveMemoryFlat() {
    for (int i = 0; i < 3_000; i++) {
      cycle(); // warm up: JIT, PETSc's registries, malloc arenas (the RSS settles within a few thousand cycles)
    }
    System.gc();
    double petscBefore = Petsc.allocatedBytes();
    double rssBefore = Petsc.residentBytes();
    for (int i = 0; i < 10_000; i++) {
      cycle();
    }
    System.gc();
    double petscAfter = Petsc.allocatedBytes();
    double rssAfter = Petsc.residentBytes();
    System.out.printf("10,000 TS cycles: PETSc allocated %.0f -> %.0f bytes, RSS %.1f -> %.1f MiB%n",
        petscBefore, petscAfter, rssBefore / (1 << 20), rssAfter / (1 << 20));
    assertTrue(petscBefore > 0, "-malloc_debug must be on for PETSc to count its memory (PETSC_OPTIONS)");
    assertEquals(petscAfter, petscBefore, 0.0, "PETSc memory after 10,000 cycles");
    assertTrue(rssAfter - rssBefore < 16.0 * (1 << 20), "RSS grew by " + (rssAfter - rssBefore) / (1 << 20) + " MiB");
  }
}

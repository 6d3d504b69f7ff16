package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * 10,000 create / solve / close cycles of a small TS with callbacks (RHS function and a shell
 * Jacobian): PETSc's allocated memory returns to the same value and the RSS stays flat.
 *
 * <p>The test runs in a JVM of its own with a fixed 512 MiB heap (the surefire execution "memory"):
 * in the shared test JVM a heap that grows after earlier tests brings GC bookkeeping outside the
 * heap, about 110 MiB measured, that is not a leak. The RSS check is on the resident set minus
 * what the JVM has committed for its heap and non-heap areas.
 */
public class MemoryTest {
  @BeforeClass
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
    for (int i = 0; i < 500; i++) {
      cycle(); // warm up: JIT, PETSc's registries, first-use allocations
    }
    System.gc();
    double petscBefore = Petsc.allocatedBytes();
    double rssBefore = Petsc.residentBytes();
    double nativeBefore = rssBefore - jvmCommittedBytes();
    for (int i = 0; i < 10_000; i++) {
      cycle();
    }
    System.gc();
    double petscAfter = Petsc.allocatedBytes();
    double rssAfter = Petsc.residentBytes();
    double nativeAfter = rssAfter - jvmCommittedBytes();
    System.out.printf("10,000 TS cycles: PETSc allocated %.0f -> %.0f bytes, RSS %.1f -> %.1f MiB,"
            + " RSS outside the JVM's heap and non-heap %.1f -> %.1f MiB%n",
        petscBefore, petscAfter, rssBefore / (1 << 20), rssAfter / (1 << 20),
        nativeBefore / (1 << 20), nativeAfter / (1 << 20));
    assertTrue(petscBefore > 0, "-malloc_debug must be on for PETSc to count its memory (PETSC_OPTIONS)");
    assertEquals(petscAfter, petscBefore, 0.0, "PETSc memory after 10,000 cycles");
    assertTrue(nativeAfter - nativeBefore < 32.0 * (1 << 20),
        "native RSS grew by " + (nativeAfter - nativeBefore) / (1 << 20) + " MiB");
  }

  private static double jvmCommittedBytes() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
  }
}

package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Inner handles (a TS's SNES and KSP, a SNES's KSP, a KSP's PC, a TS's trajectory view) are valid
 * exactly as long as their owner: after the owner closes, every use is an IllegalStateException
 * that names the owner, never a call on freed PETSc memory.
 */
public class HandleLifetimeTest {
  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static void assertOwnerClosed(Runnable use, String owner) {
    var e = expectThrows(IllegalStateException.class, use::run);
    assertTrue(e.getMessage().contains("belongs to a " + owner + " that is closed") || e.getMessage().contains(owner + " is closed"),
        e.getMessage());
  }

  @Test
  public void aTsKspAfterTheTsClosed() {
    Ts ts = Ts.create(Comm.self());
    ts.type("beuler");
    Ksp ksp = ts.ksp();
    assertFalse(ksp.isClosed());
    ksp.type("gmres");
    ts.close();
    assertTrue(ksp.isClosed());
    assertOwnerClosed(ksp::type, "SNES");
    assertOwnerClosed(() -> ksp.tolerances(1e-8, 1e-50, 10), "SNES");
    assertOwnerClosed(ksp::totalIterations, "SNES");
  }

  @Test
  public void aTsSnesAfterTheTsClosed() {
    Ts ts = Ts.create(Comm.self());
    Snes snes = ts.snes();
    snes.type("ksponly");
    ts.close();
    assertOwnerClosed(snes::type, "TS");
    assertOwnerClosed(snes::ksp, "TS");
  }

  @Test
  public void aSnesKspAfterTheSnesClosed() {
    Snes snes = Snes.create(Comm.self());
    Ksp ksp = snes.ksp();
    ksp.type("cg");
    snes.close();
    assertOwnerClosed(ksp::type, "SNES");
  }

  @Test
  public void aKspPcAfterTheKspClosed() {
    Ksp ksp = Ksp.create(Comm.self());
    Pc pc = ksp.pc();
    pc.type("jacobi");
    assertEquals(ksp.pcType(), "jacobi");
    ksp.close();
    assertOwnerClosed(pc::type, "KSP");
    assertOwnerClosed(() -> pc.type("none"), "KSP");
  }

  @Test
  public void aPcThroughATsChainAfterTheTsClosed() {
    Ts ts = Ts.create(Comm.self());
    Pc pc = ts.ksp().pc();
    pc.type("none");
    ts.close();
    expectThrows(IllegalStateException.class, pc::type);
  }

  @Test
  public void aTrajectoryViewAfterTheTsClosed() {
    Ts ts = Ts.create(Comm.self());
    TsTrajectory trajectory = ts.saveTrajectory();
    trajectory.type("memory");
    ts.close();
    var e = expectThrows(IllegalStateException.class, () -> trajectory.type("basic"));
    assertTrue(e.getMessage().contains("TS is closed"), e.getMessage());
  }

  @Test
  public void innerHandlesCannotBeClosedByTheUserButStayValidWithTheirOwner() {
    try (Ts ts = Ts.create(Comm.self())) {
      Ksp ksp = ts.ksp();
      ksp.close(); // does nothing: the TS owns it
      assertFalse(ksp.isClosed());
      ksp.type("preonly");
      assertEquals(ts.ksp().type(), "preonly");
    }
  }
}

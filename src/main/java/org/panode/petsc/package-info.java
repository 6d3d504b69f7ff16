/**
 * A small, safe layer over PETSc's C API (through the generated, unexported bindings): the session
 * ({@link org.panode.petsc.Petsc}), communicators, options, vectors, matrices (dense, AIJ, shell
 * with Java products), {@link org.panode.petsc.Ksp} with its {@link org.panode.petsc.Pc},
 * {@link org.panode.petsc.Snes}, and {@link org.panode.petsc.Ts} with its trajectory and adjoint.
 *
 * <p>Every handle is AutoCloseable and owns its upcall stubs; a closed handle, and an inner handle
 * (a TS's SNES and KSP, a KSP's PC) whose owner is closed, throws IllegalStateException instead of
 * calling into freed memory. An exception thrown in a Java callback ends the PETSc call and comes
 * back as the cause of the {@link org.panode.petsc.PetscException} it throws; PETSc runs on one
 * thread, and calls from another are refused.
 */
package org.panode.petsc;

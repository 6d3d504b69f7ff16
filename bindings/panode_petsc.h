/* The PETSc API that Panode's generated bindings cover: the headers plus typedefs for callback
   shapes that PETSc declares as void (*)(void), so that jextract generates upcall factories. */
#include <petscts.h>
#include <petscksp.h>
#include <petscsnes.h>

/* MatShellSetOperation(mat, MATOP_MULT / MATOP_MULT_TRANSPOSE, fn) */
typedef PetscErrorCode (*PanodeMatMultFn)(Mat, Vec, Vec);
/* MatShellSetOperation(mat, MATOP_GET_DIAGONAL, fn) */
typedef PetscErrorCode (*PanodeMatGetDiagonalFn)(Mat, Vec);
/* TSSetIJacobianP: dF/dp of the implicit function */
typedef PetscErrorCode (*PanodeIJacobianPFn)(TS, PetscReal, Vec, Vec, PetscReal, Mat, void *);
/* PetscPushErrorHandler */
typedef PetscErrorCode (*PanodeErrorHandlerFn)(MPI_Comm, int, const char *, const char *, PetscErrorCode, PetscErrorType, const char *, void *);
/* TSMonitorSet */
typedef PetscErrorCode (*PanodeTSMonitorFn)(TS, PetscInt, PetscReal, Vec, void *);
/* TSSetPostStep */
typedef PetscErrorCode (*PanodeTSPostStepFn)(TS);
/* PCShellSetApply / PCShellSetApplyTranspose */
typedef PetscErrorCode (*PanodePCApplyFn)(PC, Vec, Vec);

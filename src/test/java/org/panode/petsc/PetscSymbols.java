package org.panode.petsc;

import java.lang.foreign.SymbolLookup;

/** For tests in other packages: the symbols of libpetsc and its dependencies. */
public final class PetscSymbols {
  private PetscSymbols() {}

  public static SymbolLookup lookup() {
    return PetscLibrary.symbols();
  }
}

package org.panode.petsc;

import static org.panode.internal.bindings.PetscApi.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * PETSc's global options database. Names are given with or without the leading dash; a prefix
 * (as set with an object's setOptionsPrefix, e.g. "adj_") goes between the dash and the name.
 */
public final class Options {
  static final Options INSTANCE = new Options();
  private static final int MAX_VALUE_LENGTH = 4096;

  private Options() {}

  private static String key(String prefix, String name) {
    String bare = name.startsWith("-") ? name.substring(1) : name;
    return "-" + (prefix == null ? "" : prefix) + bare;
  }

  /** Sets an option (value null for a flag), overriding an earlier value. */
  public Options set(String name, String value) {
    return set(null, name, value);
  }

  public Options set(String prefix, String name, String value) {
    Petsc.checkThread();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = value == null ? MemorySegment.NULL : arena.allocateFrom(value);
      PetscErrors.check(PetscOptionsSetValue(MemorySegment.NULL, arena.allocateFrom(key(prefix, name)), v),
          "PetscOptionsSetValue(" + key(prefix, name) + ")");
    }
    return this;
  }

  /** Sets an option unless it is already there (e.g. given on the command line). */
  public Options setIfAbsent(String prefix, String name, String value) {
    if (!has(prefix, name)) {
      set(prefix, name, value);
    }
    return this;
  }

  /** Parses a string of options, as on a command line ("-ksp_type gmres -ksp_rtol 1e-8"). */
  public Options insert(String options) {
    Petsc.checkThread();
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(PetscOptionsInsertString(MemorySegment.NULL, arena.allocateFrom(options)),
          "PetscOptionsInsertString(\"" + options + "\")");
    }
    return this;
  }

  public boolean has(String name) {
    return has(null, name);
  }

  public boolean has(String prefix, String name) {
    Petsc.checkThread();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment found = arena.allocate(C_INT);
      MemorySegment p = prefix == null ? MemorySegment.NULL : arena.allocateFrom(prefix);
      String bare = name.startsWith("-") ? name : "-" + name;
      PetscErrors.check(PetscOptionsHasName(MemorySegment.NULL, p, arena.allocateFrom(bare), found),
          "PetscOptionsHasName(" + key(prefix, name) + ")");
      return found.get(C_INT, 0) != 0;
    }
  }

  /** The value of an option; empty if absent, "" for a flag without value. */
  public Optional<String> get(String prefix, String name) {
    Petsc.checkThread();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment found = arena.allocate(C_INT);
      MemorySegment value = arena.allocate(MAX_VALUE_LENGTH);
      MemorySegment p = prefix == null ? MemorySegment.NULL : arena.allocateFrom(prefix);
      String bare = name.startsWith("-") ? name : "-" + name;
      PetscErrors.check(PetscOptionsGetString(MemorySegment.NULL, p, arena.allocateFrom(bare), value, MAX_VALUE_LENGTH, found),
          "PetscOptionsGetString(" + key(prefix, name) + ")");
      return found.get(C_INT, 0) != 0 ? Optional.of(value.getString(0)) : Optional.empty();
    }
  }

  /** Removes an option. */
  public Options clear(String prefix, String name) {
    Petsc.checkThread();
    try (Arena arena = Arena.ofConfined()) {
      PetscErrors.check(PetscOptionsClearValue(MemorySegment.NULL, arena.allocateFrom(key(prefix, name))),
          "PetscOptionsClearValue(" + key(prefix, name) + ")");
    }
    return this;
  }
}

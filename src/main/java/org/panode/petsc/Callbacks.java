package org.panode.petsc;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The handles an object stores natively for its callbacks, by role: setting a role again releases
 * the handle it held. Also maps a matrix pointer PETSc passes back to the Java matrix it was given.
 */
final class Callbacks {
  private final Map<String, NativeHandle> held = new HashMap<>();

  void hold(String role, NativeHandle handle) {
    handle.retain();
    NativeHandle previous = held.put(role, handle);
    if (previous != null) {
      previous.release();
    }
  }

  void releaseAll() {
    for (NativeHandle h : held.values()) {
      h.release();
    }
    held.clear();
  }

  /** The Java matrix given for this pointer, else the borrowed wrapper bound to it. */
  static Mat match(MemorySegment pointer, Mat given, Mat borrowed) {
    if (given != null && pointer.equals(given.rawHandle())) {
      return given;
    }
    borrowed.bind(pointer);
    return borrowed;
  }
}

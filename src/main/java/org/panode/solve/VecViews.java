package org.panode.solve;

import java.lang.foreign.MemorySegment;
import org.panode.petsc.Vec;
import org.panode.petsc.VecArray;

/** Runs Java code on the arrays of a callback's vectors (inputs read-only, the last one written). */
final class VecViews {
  interface Body2 {
    void run(MemorySegment in, MemorySegment out);
  }

  interface Body3 {
    void run(MemorySegment in1, MemorySegment in2, MemorySegment out);
  }

  private VecViews() {}

  static void with(Vec in, Vec out, Body2 body) {
    try (VecArray a = in.readArray(); VecArray b = out.array()) {
      body.run(a.segment(), b.segment());
    }
  }

  static void with(Vec in1, Vec in2, Vec out, Body3 body) {
    try (VecArray a = in1.readArray(); VecArray b = in2.readArray(); VecArray c = out.array()) {
      body.run(a.segment(), b.segment(), c.segment());
    }
  }
}

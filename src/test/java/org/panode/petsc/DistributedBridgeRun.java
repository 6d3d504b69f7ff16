package org.panode.petsc;

import java.util.Arrays;

/**
 * The bridge on a state spread over however many ranks mpirun started (4 rows or entries each):
 * each rank prints "rows RANK v,v,..." (its rows of a 4*size x 3 dense matrix with entry (i, j) =
 * 10 i + j, from {@link Mat#toArray}), then "refused RANK message" when the initial state of a TS
 * holds a NaN on the last rank only, then "done RANK".
 */
public final class DistributedBridgeRun {
  private DistributedBridgeRun() {}

  public static void main(String[] args) {
    try (Petsc petsc = Petsc.initialize()) {
      Comm world = Comm.world();
      int rank = world.rank(), size = world.size();
      try (Mat m = Mat.dense(world, 4, -1, 4 * size, 3)) {
        double[] all = new double[4 * size * 3];
        for (int i = 0; i < 4 * size; i++) {
          for (int j = 0; j < 3; j++) {
            all[3 * i + j] = 10 * i + j;
          }
        }
        m.setAll(all);
        System.out.println("rows " + rank + " " + Arrays.toString(m.toArray()));
      }
      try (Ts ts = Ts.create(world); Vec u = Vec.create(world, 4, 4 * size)) {
        ts.rkType("4").timeStep(0.1).maxTime(1);
        ts.rhsFunction((t, x, f) -> f.copyFrom(x).scale(-1));
        try (VecArray a = u.array()) {
          for (int i = 0; i < a.length(); i++) {
            a.set(i, rank == size - 1 && i == 2 ? Double.NaN : 1);
          }
        }
        try {
          ts.solve(u);
          System.out.println("solved " + rank);
        } catch (IllegalArgumentException e) {
          System.out.println("refused " + rank + " " + e.getMessage());
        }
      }
      System.out.println("done " + rank);
    }
  }
}

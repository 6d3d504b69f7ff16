package org.panode.ode;

import static org.testng.Assert.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.testng.annotations.Test;

/** The stencil's product and its transpose equal the dense matrix's, on tiny and wide grids, in place too. */
public class CircularStencilTermTest {
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

  @Test
  public void valueAndTransposeEqualTheDenseMatrix() {
    Random random = new Random(3);
    int[][] cases = {{3, 3}, {5, 5}, {7, 3}, {9, 5}, {64, 5}, {512, 3}};
    for (int[] c : cases) {
      int d = c[0], width = c[1], batch = 4;
      double[] stencil = random.doubles(width, -1, 1).toArray();
      CircularStencilTerm term = new CircularStencilTerm(stencil, d, false);
      double[] matrix = new double[d * d];
      term.matrix(matrix);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment u = arena.allocate(D, (long) batch * d), out = arena.allocate(D, (long) batch * d);
        for (int i = 0; i < batch * d; i++) {
          u.setAtIndex(D, i, random.nextGaussian());
        }
        for (boolean transpose : new boolean[] {false, true}) {
          double[] expected = new double[batch * d];
          for (int s = 0; s < batch; s++) {
            for (int i = 0; i < d; i++) {
              double sum = 0;
              for (int j = 0; j < d; j++) {
                sum += (transpose ? matrix[j * d + i] : matrix[i * d + j]) * u.getAtIndex(D, (long) s * d + j);
              }
              expected[s * d + i] = sum;
            }
          }
          if (transpose) {
            term.vjp(0, u, u, batch, out);
          } else {
            term.value(0, u, batch, out);
          }
          MemorySegment inPlace = arena.allocate(D, (long) batch * d);
          inPlace.copyFrom(u);
          if (transpose) {
            term.vjp(0, u, inPlace, batch, inPlace);
          } else {
            term.value(0, inPlace, batch, inPlace);
          }
          for (int i = 0; i < batch * d; i++) {
            String where = "d " + d + ", width " + width + (transpose ? ", transposed" : "") + ", entry " + i;
            assertEquals(out.getAtIndex(D, i), expected[i], 1e-13, where);
            assertEquals(inPlace.getAtIndex(D, i), expected[i], 1e-13, where + " in place");
          }
        }
      }
    }
  }
}

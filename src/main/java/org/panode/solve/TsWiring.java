package org.panode.solve;

import java.util.Set;
import org.panode.petsc.Mat;
import org.panode.petsc.Ts;

/** A TS wired to a problem's terms for one batch: what NeuralOde drives. */
interface TsWiring extends AutoCloseable {
  Ts ts();

  /** Called once the TS's options are applied (its type is final), before the first solve. */
  void optionsApplied();

  /** The length of the parameter gradient (mu). */
  int parameterCount();

  @Override
  void close();

  /** The theta family, whose adjoint needs no RHS parameter Jacobian. */
  Set<String> THETA_TYPES = Set.of("theta", "cn", "beuler");

  /**
   * Gives a fully implicit wiring (IFunction only) the all-zero RHS parameter Jacobian that the
   * ARKIMEX adjoint calls unguarded (NULL: a crash), unless the TS is of the theta family: there,
   * each adjoint step adds it to the IJacobianP shell with MatAXPY, which nests one more shell per
   * call, so every product walked a chain as long as the steps taken since the TS was made (POLLU's
   * epochs grew from 0.15 s to 4.7 s over 10 epochs).
   */
  static void zeroRhsParameterJacobianUnlessTheta(Ts ts, int n, int parameters, java.util.function.Consumer<Mat> own) {
    if (THETA_TYPES.contains(ts.type())) {
      return;
    }
    Mat zero = Mat.shell(n, Math.max(1, parameters), (x, y) -> y.zero(), (x, y) -> y.zero());
    own.accept(zero);
    ts.rhsJacobianP(zero, (t, u, a) -> {});
  }
}

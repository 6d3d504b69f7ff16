package org.panode.petsc;

/**
 * A split linear test problem with a known solution: u' = J u + K u + f(t), with J (moderately
 * stiff, implicit) = [[-a, w], [-w, -a]], K (explicit) = [[0, k], [-k, 0]] and f chosen so that
 * u(t) = phi(t) = (1 + sin t, cos 2t).
 */
final class SplitLinearProblem {
  static final double A = 4, W = 1, K = 0.5;

  static double[] exact(double t) {
    return new double[] {1 + Math.sin(t), Math.cos(2 * t)};
  }

  private static double[] exactDerivative(double t) {
    return new double[] {Math.cos(t), -2 * Math.sin(2 * t)};
  }

  /** J u. */
  static void applyImplicit(double[] u, double[] out) {
    out[0] = -A * u[0] + W * u[1];
    out[1] = -W * u[0] - A * u[1];
  }

  /** K u. */
  static void applyExplicit(double[] u, double[] out) {
    out[0] = K * u[1];
    out[1] = -K * u[0];
  }

  /** f(t) = phi'(t) - (J + K) phi(t). */
  static double[] forcing(double t) {
    double[] phi = exact(t), dphi = exactDerivative(t), j = new double[2], k = new double[2];
    applyImplicit(phi, j);
    applyExplicit(phi, k);
    return new double[] {dphi[0] - j[0] - k[0], dphi[1] - j[1] - k[1]};
  }

  static final double[] IMPLICIT_MATRIX = {-A, W, -W, -A};
  static final double[] EXPLICIT_MATRIX = {0, K, -K, 0};

  /**
   * Solves to time T with n fixed steps by the method: IMEX and theta types take J implicitly (in
   * the IFunction) and K + f explicitly (RHS); RK types take everything in the RHS. Returns the
   * max-norm error at T.
   */
  static double error(Method method, double tFinal, int steps) {
    try (Ts ts = Ts.create(Comm.self());
        Vec u = Vec.of(exact(0));
        Mat iJac = Mat.dense(2, 2);
        Mat rhsJac = Mat.dense(2, 2)) {
      method.configure(ts);
      boolean allExplicit = method.type().equals("rk");
      double[] buf = new double[2], out = new double[2];
      ts.rhsFunction((t, x, f) -> {
        double[] xv = x.toArray(), fv = forcing(t);
        applyExplicit(xv, out);
        if (allExplicit) {
          applyImplicit(xv, buf);
          f.set(new double[] {out[0] + buf[0] + fv[0], out[1] + buf[1] + fv[1]});
        } else {
          f.set(new double[] {out[0] + fv[0], out[1] + fv[1]});
        }
      });
      double[] rhsMatrix = allExplicit
          ? new double[] {-A, W + K, -W - K, -A}
          : EXPLICIT_MATRIX;
      ts.rhsJacobian(rhsJac, rhsJac, (t, x, a, p) -> a.setAll(rhsMatrix));
      if (!allExplicit) {
        ts.iFunction((t, x, xDot, f) -> {
          double[] xv = x.toArray(), dv = xDot.toArray();
          applyImplicit(xv, buf);
          f.set(new double[] {dv[0] - buf[0], dv[1] - buf[1]});
        });
        ts.iJacobian(iJac, iJac, (t, x, xDot, shift, a, p) ->
            a.setAll(new double[] {shift + A, -W, W, shift + A}));
      }
      ts.time(0).timeStep(tFinal / steps).maxTime(tFinal).maxSteps(10 * steps)
          .exactFinalTime(Ts.ExactFinalTime.MATCHSTEP).adaptive(false);
      // The problem is linear: one exact (LU) solve per implicit stage.
      ts.linearProblem(true);
      ts.ksp().type("preonly").pcType("lu");
      ts.setFromOptions();
      ts.solve(u);
      double[] got = u.toArray(), want = exact(tFinal);
      return Math.max(Math.abs(got[0] - want[0]), Math.abs(got[1] - want[1]));
    }
  }

  /** A TS type with its tableau (null for none). */
  record Method(String type, String tableau) {
    void configure(Ts ts) {
      switch (type) {
        case "arkimex" -> ts.arkimexType(tableau);
        case "rk" -> ts.rkType(tableau);
        default -> ts.type(type);
      }
    }

    @Override
    public String toString() {
      return tableau == null ? type : type + " " + tableau;
    }
  }
}

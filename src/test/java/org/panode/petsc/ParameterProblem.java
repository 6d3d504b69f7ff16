package org.panode.petsc;

import org.panode.ode.Checkpointing;

/**
 * A nonlinear split problem with parameters in both parts, for gradient tests:
 * u' = a J0 u (implicit) + b K0 tanh(u) + c (explicit), p = (a, b), cost L = w . u(T).
 * RK types take everything explicitly.
 */
final class ParameterProblem {
  static final int N = 3;
  static final double[] J0 = {-6, 3, 0, 3, -6, 3, 0, 3, -6};
  static final double[] K0 = {0, 0.5, -0.25, -0.5, 0, 0.15, 0.25, -0.15, 0};
  static final double[] C = {0.3, -0.2, 0.1};
  static final double[] W = {1, -0.5, 2};
  static final double T = 1.0;
  static final int STEPS = 20;

  /** The cost and, if asked, its gradients. */
  record Result(double cost, double[] dCostDu0, double[] dCostDp) {}

  private static double[] matVec(double[] m, double[] x) {
    double[] y = new double[N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        y[i] += m[i * N + j] * x[j];
      }
    }
    return y;
  }

  private static double[] tanh(double[] x) {
    double[] y = new double[N];
    for (int i = 0; i < N; i++) {
      y[i] = Math.tanh(x[i]);
    }
    return y;
  }

  static Result run(SplitLinearProblem.Method method, double[] u0, double[] p, boolean gradient, Checkpointing storage) {
    return run(method, u0, p, gradient, storage, 1);
  }

  /**
   * With {@code segments} > 1 the cost is w . u summed over the ends of that many equal intervals,
   * and the adjoint runs one interval at a time (TSAdjointSetSteps), adding w between intervals.
   */
  static Result run(SplitLinearProblem.Method method, double[] u0, double[] p, boolean gradient, Checkpointing storage,
      int segments) {
    double a = p[0], b = p[1];
    boolean allExplicit = method.type().equals("rk");
    try (var trajectoryStorage = new org.panode.solve.TrajectoryStorage();
        Ts ts = Ts.create(Comm.self());
        Vec u = Vec.of(u0);
        Mat rhsJac = Mat.dense(N, N);
        Mat iJac = Mat.dense(N, N);
        Mat rhsJacP = Mat.dense(N, 2);
        Mat iJacP = Mat.dense(N, 2);
        Vec lambda = Vec.of(W);
        Vec mu = Vec.sequential(2)) {
      method.configure(ts);
      ts.rhsFunction((t, x, f) -> {
        double[] xv = x.toArray(), k = matVec(K0, tanh(xv)), j = matVec(J0, xv), out = new double[N];
        for (int i = 0; i < N; i++) {
          out[i] = b * k[i] + C[i] + (allExplicit ? a * j[i] : 0);
        }
        f.set(out);
      });
      ts.rhsJacobian(rhsJac, rhsJac, (t, x, m, pm) -> {
        double[] xv = x.toArray(), values = new double[N * N];
        for (int i = 0; i < N; i++) {
          for (int j = 0; j < N; j++) {
            double sech2 = 1 - Math.tanh(xv[j]) * Math.tanh(xv[j]);
            values[i * N + j] = b * K0[i * N + j] * sech2 + (allExplicit ? a * J0[i * N + j] : 0);
          }
        }
        m.setAll(values);
      });
      ts.rhsJacobianP(rhsJacP, (t, x, m) -> {
        double[] xv = x.toArray(), j = matVec(J0, xv), k = matVec(K0, tanh(xv)), values = new double[N * 2];
        for (int i = 0; i < N; i++) {
          values[i * 2] = allExplicit ? j[i] : 0;
          values[i * 2 + 1] = k[i];
        }
        m.setAll(values);
      });
      if (!allExplicit) {
        ts.iFunction((t, x, xDot, f) -> {
          double[] xv = x.toArray(), dv = xDot.toArray(), j = matVec(J0, xv), out = new double[N];
          for (int i = 0; i < N; i++) {
            out[i] = dv[i] - a * j[i];
          }
          f.set(out);
        });
        ts.iJacobian(iJac, iJac, (t, x, xDot, shift, m, pm) -> {
          double[] values = new double[N * N];
          for (int i = 0; i < N * N; i++) {
            values[i] = -a * J0[i] + (i % (N + 1) == 0 ? shift : 0);
          }
          m.setAll(values);
        });
        ts.iJacobianP(iJacP, (t, x, xDot, shift, m) -> {
          double[] j = matVec(J0, x.toArray()), values = new double[N * 2];
          for (int i = 0; i < N; i++) {
            values[i * 2] = -j[i];
          }
          m.setAll(values);
        });
      }
      ts.time(0).timeStep(T / STEPS).maxTime(T).maxSteps(10 * STEPS)
          .exactFinalTime(Ts.ExactFinalTime.MATCHSTEP).adaptive(false);
      ts.snes().tolerances(1e-13, 1e-13, 0, 50);
      ts.ksp().type("preonly").pcType("lu");
      if (gradient) {
        trajectoryStorage.apply(ts, storage, false);
      }
      int stepsPerSegment = STEPS / segments;
      double[] cost = {0};
      ts.monitor((step, t, x) -> {
        if (step > 0 && step % stepsPerSegment == 0) {
          double[] xv = x.toArray();
          for (int i = 0; i < N; i++) {
            cost[0] += W[i] * xv[i];
          }
        }
      });
      ts.setFromOptions();
      ts.solve(u);
      if (!gradient) {
        return new Result(cost[0], null, null);
      }
      mu.zero();
      ts.costGradients(new Vec[] {lambda}, new Vec[] {mu});
      try (Vec w = Vec.of(W)) {
        for (int segment = segments; segment >= 1; segment--) {
          ts.adjointSteps(stepsPerSegment).adjointSolve();
          if (segment > 1) {
            lambda.axpy(1, w); // dL/du at the interval's start, added between intervals
          }
        }
      }
      return new Result(cost[0], lambda.toArray(), mu.toArray());
    }
  }

  /** Central finite differences of the cost w.r.t. u0 and p, step h. */
  static Result finiteDifferences(SplitLinearProblem.Method method, double[] u0, double[] p, double h) {
    return finiteDifferences(method, u0, p, h, 1);
  }

  static Result finiteDifferences(SplitLinearProblem.Method method, double[] u0, double[] p, double h, int segments) {
    double[] du0 = new double[N], dp = new double[p.length];
    for (int i = 0; i < N; i++) {
      double[] plus = u0.clone(), minus = u0.clone();
      plus[i] += h;
      minus[i] -= h;
      du0[i] = (run(method, plus, p, false, null, segments).cost() - run(method, minus, p, false, null, segments).cost()) / (2 * h);
    }
    for (int i = 0; i < p.length; i++) {
      double[] plus = p.clone(), minus = p.clone();
      plus[i] += h;
      minus[i] -= h;
      dp[i] = (run(method, u0, plus, false, null, segments).cost() - run(method, u0, minus, false, null, segments).cost()) / (2 * h);
    }
    return new Result(run(method, u0, p, false, null, segments).cost(), du0, dp);
  }
}

package org.panode.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.panode.petsc.Comm;
import org.panode.petsc.Mat;
import org.panode.petsc.Petsc;
import org.panode.petsc.PetscException;
import org.panode.petsc.Ts;
import org.panode.petsc.Vec;

/**
 * Fits a stiff split ODE du/dt = G(u; theta) + J u on a periodic grid with PETSc's ARKIMEX and
 * TSAdjoint: J = nu * (second difference) is known and taken implicitly; G(u) = theta0 + theta1 u +
 * theta2 u^2 + theta3 u^3 (pointwise) is learned and taken explicitly. The data come from the true
 * system (theta = (0, 0, 0, -1)) solved accurately with ARKIMEX 4 at a small step; training uses
 * ARKIMEX l2 at a step where explicit methods are unstable, gradients by the segmented discrete
 * adjoint, and Adam. Any PETSc option given on the command line applies (setFromOptions is last).
 */
public final class StiffSplitDemo {
  static final int GRID = 16;
  static final double NU = 0.1;
  static final double DX = 1.0 / GRID;
  static final int OUTPUTS = 10;
  static final double OUTPUT_INTERVAL = 0.1;
  static final double[] TRUE_THETA = {0, 0, 0, -1};

  private final double[] theta = new double[4];
  private final String tableau;
  private final double step;

  StiffSplitDemo(String tableau, double step) {
    this.tableau = tableau;
    this.step = step;
  }

  public static void main(String[] args) {
    int epochs = 400;
    List<String> petscOptions = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--epochs") && i + 1 < args.length) {
        epochs = Integer.parseInt(args[++i]);
      } else {
        petscOptions.add(args[i]);
      }
    }
    try (Petsc petsc = Petsc.initialize(petscOptions)) {
      run(epochs);
    } catch (PetscException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("panode demo: error: " + e.getMessage());
      System.exit(1);
    }
  }

  static void run(int epochs) {
    double[][] initial = initialConditions();
    System.out.printf(Locale.ROOT, "Stiff split ODE du/dt = G(u) + J u on %d points, nu = %.2f: stiffness |lambda_max(J)| = %.0f%n",
        GRID, NU, 4 * NU / (DX * DX));
    StiffSplitDemo truth = new StiffSplitDemo("4", 0.002);
    System.arraycopy(TRUE_THETA, 0, truth.theta, 0, 4);
    double[][][] data = new double[initial.length][][];
    for (int s = 0; s < initial.length; s++) {
      data[s] = truth.forward(initial[s], false);
    }
    System.out.printf(Locale.ROOT, "data: %d trajectories x %d outputs (ARKIMEX 4, step 0.002)%n", initial.length, OUTPUTS);

    StiffSplitDemo model = new StiffSplitDemo("l2", 0.05);
    Adam adam = new Adam(4, 0.1);
    System.out.printf(Locale.ROOT, "training G's 4 coefficients with ARKIMEX l2, step 0.05 (explicit RK4 is unstable above %.4f)%n",
        2.785 / (4 * NU / (DX * DX)));
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double loss = 0;
      double[] gradient = new double[4];
      for (int s = 0; s < initial.length; s++) {
        loss += model.lossAndGradient(initial[s], data[s], gradient) / initial.length;
      }
      for (int k = 0; k < 4; k++) {
        gradient[k] /= initial.length;
      }
      adam.step(model.theta, gradient);
      if (epoch == 1 || epoch % 25 == 0 || epoch == epochs) {
        System.out.printf(Locale.ROOT, "epoch %3d  loss %.3e  theta [% .3f % .3f % .3f % .3f]  %.1f s%n", epoch, loss,
            model.theta[0], model.theta[1], model.theta[2], model.theta[3], (System.nanoTime() - start) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT, "true theta [% .3f % .3f % .3f % .3f]%n", TRUE_THETA[0], TRUE_THETA[1], TRUE_THETA[2], TRUE_THETA[3]);
  }

  static double[][] initialConditions() {
    double[][] ics = new double[3][GRID];
    for (int i = 0; i < GRID; i++) {
      double x = 2 * Math.PI * i / GRID;
      ics[0][i] = 2 * Math.sin(x);
      ics[1][i] = 1.5 + Math.cos(2 * x);
      ics[2][i] = Math.sin(x) + 0.8 * Math.cos(3 * x) - 0.5;
    }
    return ics;
  }

  /** MSE over the output times and, by the adjoint, its gradient w.r.t. theta (added into gradient). */
  double lossAndGradient(double[] u0, double[][] target, double[] gradient) {
    double[][] predicted = forward(u0, true);
    double scale = 1.0 / (OUTPUTS * GRID);
    double loss = 0;
    for (int k = 0; k < OUTPUTS; k++) {
      for (int i = 0; i < GRID; i++) {
        double r = predicted[k][i] - target[k][i];
        loss += scale * r * r;
      }
    }
    Ts ts = lastTs;
    try (Vec lambda = Vec.sequential(GRID); Vec mu = Vec.sequential(4); Vec forcing = Vec.sequential(GRID)) {
      int stepsPerOutput = (int) Math.round(OUTPUT_INTERVAL / step);
      lambda.zero();
      mu.zero();
      ts.costGradients(new Vec[] {lambda}, new Vec[] {mu});
      for (int k = OUTPUTS - 1; k >= 0; k--) {
        double[] dLdu = new double[GRID];
        for (int i = 0; i < GRID; i++) {
          dLdu[i] = 2 * scale * (predicted[k][i] - target[k][i]);
        }
        lambda.axpy(1, forcing.set(dLdu));
        ts.adjointSteps(stepsPerOutput).adjointSolve();
      }
      double[] g = mu.toArray();
      for (int j = 0; j < 4; j++) {
        gradient[j] += g[j];
      }
    } finally {
      closeLast();
    }
    return loss;
  }

  private Ts lastTs;
  private final List<AutoCloseable> lastResources = new ArrayList<>();

  private void closeLast() {
    for (AutoCloseable c : lastResources.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    lastResources.clear();
    lastTs = null;
  }

  /**
   * Solves from u0 and returns the states at the output times. With {@code keepForAdjoint} the TS
   * and its trajectory stay open for the adjoint in {@link #lossAndGradient}.
   */
  double[][] forward(double[] u0, boolean keepForAdjoint) {
    closeLast();
    Ts ts = Ts.create(Comm.self());
    Vec u = Vec.of(u0);
    Mat implicitJacobian = Mat.aij(GRID, GRID, 3);
    Mat explicitJacobian = Mat.aij(GRID, GRID, 1);
    Mat explicitJacobianP = Mat.dense(GRID, 4);
    Mat implicitJacobianP = Mat.dense(GRID, 4);
    lastResources.addAll(List.of(ts, u, implicitJacobian, explicitJacobian, explicitJacobianP, implicitJacobianP));
    lastTs = ts;
    double c = NU / (DX * DX);
    for (int i = 0; i < GRID; i++) {
      implicitJacobian.set(new int[] {i}, new int[] {(i + GRID - 1) % GRID, i, (i + 1) % GRID}, new double[] {0, 0, 0});
      explicitJacobian.set(i, i, 0);
    }
    implicitJacobian.assemble();
    explicitJacobian.assemble();
    ts.arkimexType(tableau);
    ts.iFunction((t, x, xDot, f) -> {
      double[] xv = x.toArray(), dv = xDot.toArray(), out = new double[GRID];
      for (int i = 0; i < GRID; i++) {
        out[i] = dv[i] - c * (xv[(i + GRID - 1) % GRID] - 2 * xv[i] + xv[(i + 1) % GRID]);
      }
      f.set(out);
    });
    ts.iJacobian(implicitJacobian, implicitJacobian, (t, x, xDot, shift, a, p) -> {
      for (int i = 0; i < GRID; i++) {
        a.set(new int[] {i}, new int[] {(i + GRID - 1) % GRID, i, (i + 1) % GRID}, new double[] {-c, shift + 2 * c, -c});
      }
      a.assemble();
    });
    ts.rhsFunction((t, x, f) -> {
      double[] xv = x.toArray(), out = new double[GRID];
      for (int i = 0; i < GRID; i++) {
        double v = xv[i];
        out[i] = theta[0] + v * (theta[1] + v * (theta[2] + v * theta[3]));
      }
      f.set(out);
    });
    ts.rhsJacobian(explicitJacobian, explicitJacobian, (t, x, a, p) -> {
      double[] xv = x.toArray();
      for (int i = 0; i < GRID; i++) {
        double v = xv[i];
        a.set(i, i, theta[1] + v * (2 * theta[2] + 3 * v * theta[3]));
      }
      a.assemble();
    });
    ts.rhsJacobianP(explicitJacobianP, (t, x, a) -> {
      double[] xv = x.toArray(), values = new double[GRID * 4];
      for (int i = 0; i < GRID; i++) {
        double v = xv[i];
        values[4 * i] = 1;
        values[4 * i + 1] = v;
        values[4 * i + 2] = v * v;
        values[4 * i + 3] = v * v * v;
      }
      a.setAll(values);
    });
    ts.iJacobianP(implicitJacobianP, (t, x, xDot, shift, a) -> {}); // J has no learned parameters
    int stepsPerOutput = (int) Math.round(OUTPUT_INTERVAL / step);
    double[][] outputs = new double[OUTPUTS][];
    ts.monitor((stepNumber, t, x) -> {
      if (stepNumber > 0 && stepNumber % stepsPerOutput == 0) {
        outputs[stepNumber / stepsPerOutput - 1] = x.toArray();
      }
    });
    ts.linearProblem(false).time(0).timeStep(step).maxTime(OUTPUTS * OUTPUT_INTERVAL)
        .maxSteps(OUTPUTS * stepsPerOutput).exactFinalTime(Ts.ExactFinalTime.MATCHSTEP).adaptive(false);
    ts.snes().type("ksponly");
    ts.ksp().type("preonly").pcType("lu");
    if (keepForAdjoint) {
      ts.saveTrajectory().type("memory");
    }
    ts.setFromOptions();
    ts.solve(u);
    if (!keepForAdjoint) {
      closeLast();
    }
    return outputs;
  }

  /** Adam (Kingma & Ba) on a flat parameter array. */
  static final class Adam {
    private final double[] m, v;
    private final double rate;
    private int t;

    Adam(int n, double rate) {
      this.m = new double[n];
      this.v = new double[n];
      this.rate = rate;
    }

    void step(double[] params, double[] grad) {
      t++;
      for (int i = 0; i < params.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * grad[i];
        v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
        double mHat = m[i] / (1 - Math.pow(0.9, t)), vHat = v[i] / (1 - Math.pow(0.999, t));
        params[i] -= rate * mHat / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }
}

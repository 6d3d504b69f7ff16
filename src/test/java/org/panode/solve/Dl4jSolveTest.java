package org.panode.solve;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.panode.nn.Dense;
import org.panode.nn.Dl4jTerm;
import org.panode.nn.Network;
import org.panode.nn.Tanh;
import org.panode.ode.CircularStencilTerm;
import org.panode.ode.Method;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SaveAt;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.ode.Term;
import org.panode.petsc.PetscSession;
import org.panode.train.Parameters;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A DL4J MultiLayerNetwork (through {@link Dl4jTerm}) as the explicit term of a split problem,
 * inside an IMEX solve: its adjoint gradient equals central finite differences, it integrates to
 * the same states as the library's own layers with the same weights, and its cost per step is
 * printed next to theirs.
 */
public class Dl4jSolveTest {
  private static final int D = 16, HIDDEN = 32, BATCH = 4;
  private static final double[] TIMES = {0.1, 0.2};

  @BeforeClass
  void session() {
    PetscSession.get();
  }

  private static Dl4jTerm dl4j() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
        .layer(new DenseLayer.Builder().nIn(D).nOut(HIDDEN).activation(Activation.TANH).build())
        .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(D).activation(Activation.IDENTITY).build())
        .build());
    net.init();
    return new Dl4jTerm(net);
  }

  private static SplitProblem problem(Term network) {
    var stencil = new CircularStencilTerm(CircularStencilTerm.diffusionStencil(0.02, 1.0 / D), D, true);
    return new SplitProblem(network, stencil);
  }

  private static double[] initialStates() {
    Random r = new Random(17);
    double[] u0 = new double[BATCH * D];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = r.nextGaussian();
    }
    return u0;
  }

  private static double[][] weights() {
    Random r = new Random(19);
    double[][] c = new double[TIMES.length][BATCH * D];
    for (double[] row : c) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextGaussian();
      }
    }
    return c;
  }

  private static double loss(Solver solver, double[] u0, double[][] c) {
    return Solves.linearLoss(Solves.states(solver, u0, BATCH, TIMES), c);
  }

  @Test
  public void dl4jAdjointGradientEqualsFiniteDifferences() {
    var problem = problem(dl4j());
    double[] u0 = initialStates();
    double[][] c = weights();
    try (Solver solver = Solver.of(problem, SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.02)))) {
      Gradients g = Solves.gradient(solver, u0, BATCH, TIMES, c);
      Parameters theta = Parameters.of(problem);
      double[] values = theta.get();
      double h = 1e-6, worst = 0;
      int checked = 0;
      for (int p = 0; p < values.length; p += 7) {
        double original = values[p];
        values[p] = original + h;
        theta.set(values);
        double plus = loss(solver, u0, c);
        values[p] = original - h;
        theta.set(values);
        double minus = loss(solver, u0, c);
        values[p] = original;
        theta.set(values);
        worst = Math.max(worst, SolverGradientTest.relative(g.parameters()[p], (plus - minus) / (2 * h)));
        checked++;
      }
      for (int i = 0; i < u0.length; i += 5) {
        double[] up = u0.clone(), um = u0.clone();
        up[i] += h;
        um[i] -= h;
        worst = Math.max(worst, SolverGradientTest.relative(g.initialState()[i], (loss(solver, up, c) - loss(solver, um, c)) / (2 * h)));
      }
      System.out.printf("DL4J %d-%d-%d tanh in imex-rk2: %d of %d parameters and every 5th initial value, worst relative error "
          + "against central differences %.2e%n", D, HIDDEN, D, checked, values.length, worst);
      assertTrue(worst <= 1e-6, "worst relative error " + worst);
    }
  }

  @Test
  public void dl4jAndTheLibrarysLayersGiveTheSameSolveAndTheirCostsPerStep() {
    Dl4jTerm dl4j = dl4j();
    // DL4J's flat layout of a DenseLayer (W in x out column-major, then b) is Dense's.
    Network own = new Network(0, List.of(new Dense(D, HIDDEN, 0), new Tanh(HIDDEN), new Dense(HIDDEN, D, 0)));
    own.parameters().copyFrom(dl4j.parameters());
    double[] u0 = initialStates();
    double[][] c = weights();
    var config = SolverConfig.of(Method.parse("imex-rk2"), StepControl.fixed(0.02));
    double[][] dl4jStates, ownStates;
    double[] dl4jGradient, ownGradient;
    double dl4jSeconds = 0, ownSeconds = 0;
    long steps = 0;
    try (Solver a = Solver.of(problem(dl4j), config); Solver b = Solver.of(problem(own), config)) {
      dl4jStates = Solves.states(a, u0, BATCH, TIMES);
      ownStates = Solves.states(b, u0, BATCH, TIMES);
      dl4jGradient = Solves.gradient(a, u0, BATCH, TIMES, c).parameters();
      ownGradient = Solves.gradient(b, u0, BATCH, TIMES, c).parameters();
      for (int r = 0; r < 5; r++) { // alternating, after the warm-up above
        PhaseCosts[] da = timedIteration(a, u0, c), db = timedIteration(b, u0, c);
        dl4jSeconds += da[0].seconds() + da[1].seconds();
        ownSeconds += db[0].seconds() + db[1].seconds();
        steps += da[0].steps();
      }
    }
    for (int k = 0; k < TIMES.length; k++) {
      for (int i = 0; i < u0.length; i++) {
        assertEquals(dl4jStates[k][i], ownStates[k][i], 1e-12);
      }
    }
    assertEquals(dl4jGradient.length, ownGradient.length);
    for (int p = 0; p < ownGradient.length; p++) {
      assertEquals(dl4jGradient[p], ownGradient[p], 1e-10 * Math.max(1, Math.abs(ownGradient[p])), "parameter " + p);
    }
    System.out.printf("per step (forward + adjoint) of imex-rk2, batch %d, MLP %d-%d-%d: DL4J %.0f us, Panode layers %.0f us "
        + "(DL4J / Panode %.1fx)%n", BATCH, D, HIDDEN, D, 1e6 * dl4jSeconds / steps, 1e6 * ownSeconds / steps, dl4jSeconds / ownSeconds);
  }

  private static PhaseCosts[] timedIteration(Solver solver, double[] u0, double[][] c) {
    try (Trajectory t = solver.solveForGradient(u0, BATCH, SaveAt.times(TIMES))) {
      return new PhaseCosts[] {t.costs(), t.gradient(c).costs()};
    }
  }
}

package org.panode.experiments;

import static org.testng.Assert.assertTrue;

import java.nio.file.Path;
import org.panode.data.Rober;
import org.panode.petsc.PetscSession;
import org.testng.annotations.Test;

/**
 * Kim et al.'s ROBER result: the scaled neural ODE fits all three species, y2 (~1e-5) included;
 * the unscaled baseline (same network, same budget, plain MSE on the raw species) does not fit
 * y2. Slow (about 45 minutes): group "slow"; numbers in docs/chemistry.md.
 */
public class RoberFitTest {
  static final int EPOCHS = Integer.getInteger("rober.epochs", 100_000);

  static double[] train(ChemistryExperiment experiment) {
    PetscSession.get();
    var d = experiment.defaults(3, "cn");
    var s = new Settings(3, "cn", d.step(), EPOCHS, 1, 0.01, "adamw", 0, Path.of("unused"));
    var setup = experiment.setup(s, Rober.paper().generate());
    try (var run = Run.of(s, setup)) {
      run.trainer().train(EPOCHS);
      var train = setup.train();
      double[][] predicted = org.panode.solve.Solves.states(run.solver(), train.initialState(0), 1, train.times());
      double[][] truth = new double[predicted.length][];
      for (int k = 0; k < truth.length; k++) {
        truth[k] = train.target(0, k);
      }
      double[] errors = ChemistryExperiment.errors(predicted, truth, setup.species().scale());
      System.out.printf("%s, %d epochs: max |predicted - true| / range: y1 %.3f, y2 %.3f, y3 %.3f%n", experiment.name(), EPOCHS,
          errors[0], errors[1], errors[2]);
      return errors;
    }
  }

  @Test(groups = "slow")
  public void scaledFitsY2AndBaselineDoesNot() {
    double[] scaled = train(ChemistryExperiment.ROBER);
    double[] baseline = train(ChemistryExperiment.ROBER_BASELINE);
    for (int i = 0; i < 3; i++) {
      assertTrue(scaled[i] < 0.1, "scaled model, y" + (i + 1) + ": error " + scaled[i] + " of the range");
    }
    assertTrue(baseline[1] > 0.3, "the baseline fitted y2: error " + baseline[1] + " of the range");
  }
}

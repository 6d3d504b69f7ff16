package org.panode.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.panode.experiments.Run;
import org.panode.train.ParameterFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Loads trained parameters and reports the test loss. */
@Command(name = "eval", description = "test loss of a trained model (model.npy from train)")
final class EvalCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Option(names = "--model", required = true, description = "parameters file written by train (model.npy)")
  Path model;

  @Override
  public Integer call() throws Exception {
    if (!java.nio.file.Files.isRegularFile(model)) { // before the data is loaded or made
      throw new IllegalArgumentException("--model " + model + ": no such file (train writes model.npy into its run folder)");
    }
    var s = options.settings();
    var setup = options.setup(s);
    RunOptions.petsc();
    try (ProblemOptions applied = ProblemOptions.apply(options.problem); Run run = Run.of(s, setup)) {
      ParameterFile.load(model, run.trainer().parameters());
      double loss = run.trainer().evaluate(setup.test());
      if (options.json) {
        System.out.printf(Locale.ROOT, "{\"problem\":\"%s\",\"method\":\"%s\",\"test_loss\":%.9e}%n", options.problem, s.method(), loss);
      } else {
        System.out.printf(Locale.ROOT, "%s grid %d, %s at step %s: test loss %.4e over %d samples%n", options.problem, s.grid(),
            s.method(), s.step(), loss, setup.test().size());
      }
    }
    return 0;
  }
}

package org.panode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.panode.experiments.Run;
import org.panode.train.EpochReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one training epoch and prints its cost table, read from the solver's counters. */
@Command(name = "nfe", description = "the per-epoch cost table of a configuration (one real epoch, counters read from the callbacks)")
final class NfeCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Override
  public Integer call() throws Exception {
    var settings = options.settings();
    var setup = options.setup(settings);
    RunOptions.petsc();
    try (ProblemOptions applied = ProblemOptions.apply(options.problem); Run run = Run.of(settings, setup)) {
      System.err.println(setup.description());
      System.err.printf("one epoch of %s at step %s, batch %d...%n", settings.method(), settings.step(), settings.batch());
      EpochReport report = run.trainer().epoch();
      var costs = report.costs();
      if (options.json) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", options.problem);
        summary.put("grid", settings.grid());
        summary.put("method", settings.method());
        summary.put("step", settings.step());
        summary.put("batches", report.batches());
        summary.put("loss", report.loss());
        summary.put("costs", CostTable.json(costs));
        summary.put("nfe_per_epoch", costs.nfe());
        System.out.println(new ObjectMapper().writeValueAsString(summary));
      } else {
        System.out.printf("%s grid %d, %s at step %s: %d batches, NFE per epoch %,d (forward %,d + adjoint %,d)%n%n",
            options.problem, settings.grid(), settings.method(), settings.step(), report.batches(), costs.nfe(),
            costs.forward().explicitEvaluations(), costs.adjoint().explicitEvaluations());
        System.out.print(CostTable.text(costs));
      }
    }
    return 0;
  }
}

package org.panode.cli;

import java.util.concurrent.Callable;
import org.panode.experiments.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Generates (or finds in the cache) an experiment's data and says where it is. */
@Command(name = "generate", description = "generate and cache the data of a problem")
final class GenerateCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Override
  public Integer call() throws Exception {
    Settings settings = options.settings();
    long start = System.nanoTime();
    var setup = options.setup(settings);
    System.out.printf("%s%n%d training and %d test samples ready in %.1f s%ndata: %s%n", setup.description(),
        setup.train().size(), setup.test().size(), (System.nanoTime() - start) / 1e9, org.panode.data.DataCache.lastFile());
    return 0;
  }
}

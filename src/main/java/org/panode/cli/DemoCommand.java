package org.panode.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.panode.examples.StiffSplitDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The small demo: fit a stiff split ODE with ARKIMEX + TSAdjoint. */
@Command(name = "demo", description = "fit a small stiff split ODE with ARKIMEX and the discrete adjoint")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--epochs")
  Integer epochs;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    if (epochs != null) {
      args.add("--epochs");
      args.add(epochs.toString());
    }
    args.addAll(Main.petscOptions);
    StiffSplitDemo.main(args.toArray(String[]::new));
    return 0;
  }
}

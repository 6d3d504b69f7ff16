package org.panode.cli;

import java.util.List;
import org.panode.petsc.Comm;
import org.panode.petsc.Petsc;
import org.panode.train.RankFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * ./panode: train, evaluate, count costs, check gradients and generate data for the paper's
 * experiments. PETSc options (-ts_*, -ksp_*, -pc_*, -snes_*, -log_view, ...) anywhere on the
 * command line go to PETSc. Errors are one line on stderr and a non-zero exit code.
 */
@Command(name = "panode", mixinStandardHelpOptions = true, version = "panode 0.1",
    description = "Stiff neural ODEs on PETSc: the SINODE paper's experiments.",
    subcommands = {TrainCommand.class, EvalCommand.class, NfeCommand.class, GradcheckCommand.class,
        GenerateCommand.class, DemoCommand.class})
public final class Main {
  /** PETSc options split off the command line, for the commands that start PETSc. */
  static List<String> petscOptions = List.of();

  /**
   * PETSc's solvers, their upcalls into Java and the network code all run on one thread; this one
   * gets a large stack (the JVM's default 1 MiB overflowed in POLLU's adjoint, and an overflow
   * inside an upcall would end the JVM).
   */
  private static final long STACK_BYTES = 256L << 20;

  public static void main(String[] args) throws InterruptedException {
    int[] code = {1};
    Thread worker = new Thread(null, () -> code[0] = run(args), "panode", STACK_BYTES);
    worker.start();
    worker.join();
    System.exit(code[0]);
  }

  static int run(String[] args) {
    PetscArguments split = PetscArguments.split(args);
    petscOptions = split.petsc();
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      int code = e instanceof IllegalArgumentException ? 2 : 1;
      int ranks = Ranks.worldSize();
      if (e instanceof RankFailedException && Comm.world().rank() != 0) {
        debug(e, commandLine); // every rank knows: rank 0 says it, all end together
        return code;
      }
      String where = ranks > 1 && !(e instanceof RankFailedException) ? "rank " + Comm.world().rank() + " of " + ranks + ": " : "";
      commandLine.getErr().println("panode: error: " + where + oneLine(e));
      debug(e, commandLine);
      if (ranks > 1 && !(e instanceof RankFailedException)) {
        // The other ranks may be waiting in a collective call for this one: end the whole job.
        commandLine.getErr().flush();
        System.out.flush();
        Comm.world().abort(code);
      }
      return code;
    });
    boolean petscWasUp = Petsc.isInitialized();
    try {
      return cli.execute(split.own().toArray(String[]::new));
    } finally {
      if (!petscWasUp && Petsc.isInitialized()) {
        Petsc.current().close(); // prints -log_view and the like
      }
    }
  }

  private static void debug(Exception e, CommandLine commandLine) {
    if (System.getenv("PANODE_DEBUG") != null) {
      e.printStackTrace(commandLine.getErr());
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replace('\n', ' ');
  }
}

package org.panode.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's folder while the run goes on ({@link RunFolder} does the work): claimed, and with
 * --overwrite of a folder holding results, a staging folder beside it that the run writes into and
 * that {@link #finish} puts in the folder's place. {@link #close} ends the claims and, for a run that
 * did not finish, says where its files are. Ranks other than the first use {@link #unclaimed}.
 */
final class RunTarget implements AutoCloseable {
  private final Path out;
  private final Path staging;
  private final boolean claimed;
  private boolean finished;

  private RunTarget(Path out, Path staging, boolean claimed) {
    this.out = out;
    this.staging = staging;
    this.claimed = claimed;
  }

  /** Chooses and claims the folder (see {@link RunFolder#choose}), and its staging folder for --overwrite. */
  static RunTarget claim(Path requested, Path standard, boolean overwrite, Path resumed) {
    Path out = RunFolder.chooseAndClaim(requested, standard, overwrite, resumed);
    try {
      Path staging = overwrite && !(resumed != null && RunFolder.same(out, resumed)) ? RunFolder.stagingFor(out) : null;
      if (staging != null) {
        System.err.println("writing into " + staging + "; it replaces " + out + " when the run has finished");
      }
      return new RunTarget(out, staging, true);
    } catch (RuntimeException e) {
      RunFolder.release(out);
      throw e;
    }
  }

  /** The folder as it is, neither claimed nor written here (another rank writes it). */
  static RunTarget unclaimed(Path out) {
    return new RunTarget(out, null, false);
  }

  /** The run's folder, where its results are once it has finished. */
  Path out() {
    return out;
  }

  /** Where the run writes until it has finished. */
  Path writeTo() {
    return staging != null ? staging : out;
  }

  /** The run has finished: a staging folder now replaces the folder's results. */
  void finish() throws IOException {
    if (staging != null) {
      RunFolder.replace(out, staging);
    }
    finished = true;
  }

  @Override
  public void close() {
    if (!claimed) {
      return;
    }
    if (!finished && staging != null && Files.exists(staging)) {
      System.err.println("panode: " + out + " is as it was; this run's files are in " + staging);
    }
    RunFolder.release(out);
    if (staging != null) {
      RunFolder.release(staging);
    }
  }
}

package org.panode.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr: redrawn in place on a terminal, as wide as the terminal (./panode
 * passes its width in PANODE_COLUMNS; the library's own guess is 80), a plain line every 10 s
 * otherwise (logs, CI).
 */
final class Progress {
  private Progress() {}

  private static Integer terminalWidth() {
    for (String name : new String[] {"PANODE_COLUMNS", "COLUMNS"}) {
      String v = System.getenv(name);
      if (v != null && v.strip().matches("[0-9]{2,4}")) {
        return Integer.parseInt(v.strip());
      }
    }
    return null;
  }

  /** A bar that draws nothing (the ranks other than 0 under MPI). */
  static ProgressBar silent(String task, long total) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setConsumer(new DelegatingProgressBarConsumer(line -> {}))
        .setUpdateIntervalMillis(60_000).build();
  }

  static ProgressBar bar(String task, long total) {
    boolean terminal = System.console() != null && System.console().isTerminal();
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII);
    if (terminal) {
      Integer width = terminalWidth();
      var consumer = width == null ? new InteractiveConsoleProgressBarConsumer(System.err)
          : new InteractiveConsoleProgressBarConsumer(System.err, width);
      return builder.setConsumer(consumer).setUpdateIntervalMillis(250).build();
    }
    return builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 120)).setUpdateIntervalMillis(10_000)
        .continuousUpdate().build();
  }
}

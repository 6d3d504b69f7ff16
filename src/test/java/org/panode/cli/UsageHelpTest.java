package org.panode.cli;

import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** Every command's --help renders without picocli's format warnings (an unescaped % in a description). */
public class UsageHelpTest {
  @Test
  public void everyCommandsHelpRendersCleanly() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringBuilder usage = new StringBuilder();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new Main());
      for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
        usage.append(sub.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    } finally {
      System.setErr(err);
    }
    String warnings = captured.toString(StandardCharsets.UTF_8);
    assertFalse(warnings.contains("WARN"), warnings);
    assertFalse(usage.toString().contains("%n"), "a description kept a raw format specifier");
    assertTrue(usage.toString().contains("2 % of the run"), "the checkpoint option's text renders its percent sign");
  }
}

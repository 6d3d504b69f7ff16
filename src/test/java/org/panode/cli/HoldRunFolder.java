package org.panode.cli;

import java.nio.file.Path;

/** A second process for {@link RunFolderTest}: claims the folder given, says so, holds it until its input ends. */
public final class HoldRunFolder {
  private HoldRunFolder() {}

  public static void main(String[] args) throws Exception {
    System.out.println(RunFolder.claim(Path.of(args[0])) ? "held" : "refused");
    System.out.flush();
    System.in.read(); // until the test closes our input or kills us
  }
}

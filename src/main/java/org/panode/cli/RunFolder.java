package org.panode.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where a run writes, chosen before anything is loaded or written, so that no run replaces an
 * earlier one's results: without {@code --out} a new folder (the default name, else the default
 * name with -2, -3, ...); an explicit {@code --out} that already holds files is refused unless
 * {@code --overwrite} is given or it is the folder of the run being resumed.
 */
final class RunFolder {
  private RunFolder() {}

  /**
   * @param requested {@code --out}, or null
   * @param standard the problem's default folder
   * @param overwrite {@code --overwrite}
   * @param resumed the folder of the run being resumed, or null
   */
  static Path choose(Path requested, Path standard, boolean overwrite, Path resumed) {
    Path chosen;
    if (requested != null) {
      chosen = requested;
      if (!isFree(chosen) && !overwrite && !(resumed != null && same(chosen, resumed))) {
        throw new IllegalArgumentException("the output folder " + chosen + " already holds files; give a new --out, "
            + "--overwrite to replace its results, or --resume " + chosen + " to continue the run in it");
      }
    } else if (resumed != null) {
      chosen = resumed;
    } else {
      chosen = standard;
      for (int n = 2; !isFree(chosen); n++) {
        chosen = standard.resolveSibling(standard.getFileName() + "-" + n);
      }
    }
    requireCreatable(chosen);
    return chosen;
  }

  /** A folder that does not exist yet, or an empty one. */
  static boolean isFree(Path folder) {
    if (!Files.exists(folder)) {
      return true;
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("the output folder " + folder + " is a file, not a folder");
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the output folder " + folder + ": " + e.getMessage());
    }
  }

  private static boolean same(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder exists and is writable, or its nearest existing ancestor is a writable folder. */
  private static void requireCreatable(Path folder) {
    Path p = folder.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null || !Files.isDirectory(p)) {
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + p + " is not a folder");
    }
    if (!Files.isWritable(p)) {
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + p + " is not writable");
    }
  }
}

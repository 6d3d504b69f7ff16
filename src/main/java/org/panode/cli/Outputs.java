package org.panode.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes run outputs so that a partial file never replaces a complete one (temp file, then atomic move). */
final class Outputs {
  private Outputs() {}

  /** Creates the folder, or fails with a one-line reason. */
  static Path folder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + e);
    }
    if (!Files.isWritable(folder)) {
      throw new IllegalArgumentException("the output folder " + folder + " is not writable");
    }
    return folder;
  }

  static void text(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static void png(Path file, Chart<?, ?> chart) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".partial.png");
    try {
      BitmapEncoder.saveBitmap(chart, temp.toString(), BitmapEncoder.BitmapFormat.PNG);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Several charts in one PNG, {@code columns} to a row. */
  static void png(Path file, java.util.List<? extends Chart<?, ?>> charts, int columns) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".partial.png");
    try {
      int rows = (charts.size() + columns - 1) / columns;
      BitmapEncoder.saveBitmap(new java.util.ArrayList<Chart<?, ?>>(charts), rows, Math.min(columns, charts.size()), temp.toString(),
          BitmapEncoder.BitmapFormat.PNG);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

package org.panode.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.panode.data.AtomicFile;

/** Writes run outputs so that a partial file never replaces a complete one ({@link AtomicFile}). */
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
    AtomicFile.write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  static void png(Path file, Chart<?, ?> chart) throws IOException {
    AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /** Several charts in one PNG, {@code columns} to a row. */
  static void png(Path file, java.util.List<? extends Chart<?, ?>> charts, int columns) throws IOException {
    int rows = (charts.size() + columns - 1) / columns;
    AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(new java.util.ArrayList<Chart<?, ?>>(charts), rows,
        Math.min(columns, charts.size()), out, BitmapEncoder.BitmapFormat.PNG));
  }

}

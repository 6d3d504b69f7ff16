package org.panode.cli;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.panode.data.AtomicFile;
import org.panode.experiments.Settings;
import org.panode.ode.PhaseCosts;
import org.panode.ode.SolveCosts;
import org.panode.train.TrainingCheckpoint;

/**
 * A training run's checkpoint.bin as ./panode writes it: the problem and settings it ran with (the
 * epochs it was asked for), its history so far (the loss.csv rows, training seconds, last test
 * loss, when the target was first reached, summed costs) and the trainer's {@link
 * TrainingCheckpoint}. Written atomically; {@code --resume} continues from it with the history
 * intact. A bare TrainingCheckpoint file (as {@code Trainer.saveCheckpoint} writes) is read too,
 * without settings or history.
 *
 * <p>Format (big-endian): magic "PANODERN", version int, problem, settings, history, costs, the
 * embedded TrainingCheckpoint's bytes, then a CRC32 of all preceding bytes.
 */
record RunCheckpoint(String problem, Settings settings, List<double[]> rows, double seconds, double testLoss,
    double reachedSeconds, int reachedEpoch, SolveCosts costs, TrainingCheckpoint training) {
  static final String FILE = "checkpoint.bin";
  private static final byte[] MAGIC = "PANODERN".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRAINING_MAGIC = "PANODECK".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int ROW = 6;

  /** The checkpoint file of {@code path}: the file itself, or checkpoint.bin in a run folder. */
  static Path file(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--resume " + path + ": no checkpoint " + file
          + (Files.isDirectory(path) ? " (the run wrote none yet)" : ""));
    }
    return file;
  }

  /** Writes the file atomically, streamed: the embedded training checkpoint is not copied into memory first. */
  void write(Path file) throws IOException {
    AtomicFile.write(file, raw -> {
      var crc = new CRC32();
      var out = new DataOutputStream(new CheckedOutputStream(raw, crc));
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(problem);
      out.writeInt(settings.grid());
      out.writeUTF(settings.method());
      out.writeDouble(settings.step());
      out.writeInt(settings.epochs());
      out.writeInt(settings.batch());
      out.writeDouble(settings.learningRate());
      out.writeUTF(settings.optimizer());
      out.writeLong(settings.seed());
      out.writeInt(rows.size());
      for (double[] r : rows) {
        for (int c = 0; c < ROW; c++) {
          out.writeDouble(r[c]);
        }
      }
      out.writeDouble(seconds);
      out.writeDouble(testLoss);
      out.writeDouble(reachedSeconds);
      out.writeInt(reachedEpoch);
      writeCosts(out, costs.forward());
      writeCosts(out, costs.adjoint());
      out.writeInt(Math.toIntExact(training.byteLength()));
      training.writeTo(out);
      out.flush();
      new DataOutputStream(raw).writeInt((int) crc.getValue());
    });
  }

  /** Reads a run checkpoint, or a bare training checkpoint (then problem, settings and costs are null, rows empty). */
  static RunCheckpoint read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (startsWith(bytes, TRAINING_MAGIC)) {
      return new RunCheckpoint(null, null, List.of(), 0, Double.NaN, Double.NaN, 0, null,
          TrainingCheckpoint.parse(bytes, file.toString()));
    }
    if (bytes.length < MAGIC.length + 8 || !startsWith(bytes, MAGIC)) {
      throw new IllegalArgumentException(file + " is not a Panode checkpoint (no PANODERN or PANODECK magic)");
    }
    var crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    if (ByteBuffer.wrap(bytes).getInt(bytes.length - 4) != (int) crc.getValue()) {
      throw new IllegalArgumentException(file + " is corrupt: checksum mismatch (truncated or damaged)");
    }
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length - 4))) {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(file + " is a version " + version + " run checkpoint; this Panode reads " + VERSION);
      }
      String problem = in.readUTF();
      Settings settings = new Settings(in.readInt(), in.readUTF(), in.readDouble(), in.readInt(), in.readInt(),
          in.readDouble(), in.readUTF(), in.readLong(), file.getParent());
      int n = in.readInt();
      if (n < 0 || n > in.available() / (8 * ROW)) {
        throw new IllegalArgumentException(file + " is corrupt: " + n + " history rows do not fit the file");
      }
      List<double[]> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double[] r = new double[ROW];
        for (int c = 0; c < ROW; c++) {
          r[c] = in.readDouble();
        }
        rows.add(r);
      }
      double seconds = in.readDouble(), testLoss = in.readDouble(), reachedSeconds = in.readDouble();
      int reachedEpoch = in.readInt();
      SolveCosts costs = new SolveCosts(readCosts(in), readCosts(in));
      int length = in.readInt();
      if (length != in.available()) {
        throw new IllegalArgumentException(file + " is corrupt: the training checkpoint's length does not fit the file");
      }
      TrainingCheckpoint training = TrainingCheckpoint.parse(in.readNBytes(length), file.toString());
      if (n > training.epoch()) { // fewer when the history began at a bare training checkpoint
        throw new IllegalArgumentException(file + " is corrupt: " + n + " history rows for " + training.epoch() + " epochs");
      }
      return new RunCheckpoint(problem, settings, rows, seconds, testLoss, reachedSeconds, reachedEpoch, costs, training);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is corrupt: it ends early", e);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] magic) {
    return bytes.length >= magic.length && Arrays.equals(Arrays.copyOf(bytes, magic.length), magic);
  }

  private static void writeCosts(DataOutputStream out, PhaseCosts c) throws IOException {
    for (long v : new long[] {c.explicitEvaluations(), c.implicitApplications(), c.jvps(), c.vjps(), c.linearSolves(),
        c.krylovIterations(), c.luFactorizations(), c.steps(), c.rejectedSteps()}) {
      out.writeLong(v);
    }
    out.writeDouble(c.seconds());
  }

  private static PhaseCosts readCosts(DataInputStream in) throws IOException {
    return new PhaseCosts(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong(), in.readDouble());
  }
}

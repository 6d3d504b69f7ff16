package org.panode.train;

import org.panode.data.AtomicFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Everything a {@link Trainer} needs to resume exactly: epochs done, best epoch loss, the shuffle
 * generator's state, the data and batch sizes it ran with, the parameters, the optimizer (name,
 * iteration, learning rate, updater state) and the plateau schedule's state (null without one).
 *
 * <p>File format (big-endian): magic "PANODECK", version int, the fields in order, then a CRC32 of
 * all preceding bytes. Written atomically; {@link #read} rejects foreign, truncated or damaged
 * files with an IllegalArgumentException.
 */
public record TrainingCheckpoint(int epoch, double bestLoss, long shuffleState, int sampleCount, int batchSize,
    double[] parameters, String optimizer, int iteration, double learningRate, double[] optimizerState,
    PlateauSchedule.State schedule) {
  private static final byte[] MAGIC = "PANODECK".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  /** Writes the checkpoint to {@code file}, atomically replacing it. */
  public void write(Path file) throws IOException {
    AtomicFile.write(file, bytes());
  }

  /** The file's bytes (for embedding a checkpoint in another file). */
  public byte[] bytes() throws IOException {
    // sized for the two arrays up front: no regrowing copies of a large model's tens of megabytes
    var bytes = new ByteArrayOutputStream(256 + 8 * (parameters.length + optimizerState.length) + optimizer.length() * 3);
    try (var out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(epoch);
      out.writeDouble(bestLoss);
      out.writeLong(shuffleState);
      out.writeInt(sampleCount);
      out.writeInt(batchSize);
      writeArray(out, parameters);
      out.writeUTF(optimizer);
      out.writeInt(iteration);
      out.writeDouble(learningRate);
      writeArray(out, optimizerState);
      out.writeBoolean(schedule != null);
      if (schedule != null) {
        out.writeDouble(schedule.best());
        out.writeInt(schedule.badEpochs());
      }
      var crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    }
    return bytes.toByteArray();
  }

  /** Reads a checkpoint written by {@link #write}. */
  public static TrainingCheckpoint read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses {@link #bytes()}; {@code file} names the source in error messages. */
  public static TrainingCheckpoint parse(byte[] bytes, String file) throws IOException {
    if (bytes.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException(file + " is not a Panode training checkpoint (no PANODECK magic)");
    }
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length))) {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(file + " is a version " + version + " checkpoint; this Panode reads version "
            + VERSION);
      }
      var crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 4);
      if (ByteBuffer.wrap(bytes).getInt(bytes.length - 4) != (int) crc.getValue()) {
        throw new IllegalArgumentException(file + " is corrupt: checksum mismatch (truncated or damaged)");
      }
      var checkpoint = new TrainingCheckpoint(in.readInt(), in.readDouble(), in.readLong(), in.readInt(), in.readInt(),
          readArray(in, file), in.readUTF(), in.readInt(), in.readDouble(), readArray(in, file),
          in.readBoolean() ? new PlateauSchedule.State(in.readDouble(), in.readInt()) : null);
      if (in.available() != 4) {
        throw new IllegalArgumentException(file + " is corrupt: " + (in.available() - 4) + " unexpected bytes at the end");
      }
      return checkpoint;
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is corrupt: it ends early", e);
    }
  }

  private static void writeArray(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer big = ByteBuffer.allocate(8 * values.length); // big-endian, as writeDouble writes
    big.asDoubleBuffer().put(values);
    out.write(big.array());
  }

  private static double[] readArray(DataInputStream in, String file) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available() / 8) {
      throw new IllegalArgumentException(file + " is corrupt: an array of " + n + " values does not fit the file");
    }
    byte[] raw = new byte[8 * n];
    in.readFully(raw);
    double[] values = new double[n];
    ByteBuffer.wrap(raw).asDoubleBuffer().get(values);
    return values;
  }
}

package org.panode.train;

import org.panode.data.AtomicFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

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
  private static final int CHUNK_BYTES = 1 << 16;

  /** Writes the checkpoint to {@code file}, atomically replacing it. */
  public void write(Path file) throws IOException {
    AtomicFile.write(file, this::writeTo);
  }

  /** The file's bytes (for embedding a checkpoint in another file). */
  public byte[] bytes() throws IOException {
    var bytes = new ByteArrayOutputStream(Math.toIntExact(byteLength()));
    writeTo(bytes);
    return bytes.toByteArray();
  }

  /** How many bytes {@link #writeTo} writes. */
  public long byteLength() {
    return MAGIC.length + 4 + 4 + 8 + 8 + 4 + 4 + arrayBytes(parameters) + utfBytes(optimizer) + 4 + 8
        + arrayBytes(optimizerState) + 1 + (schedule != null ? 8 + 4 : 0) + 4;
  }

  /**
   * Writes the file's bytes to {@code out} (left open) as they are made, the checksum summed on the
   * way: no copy of the whole file in memory (a Burgers-1024 checkpoint is 150 MB).
   */
  public void writeTo(OutputStream out) throws IOException {
    var crc = new CRC32();
    var data = new DataOutputStream(new CheckedOutputStream(out, crc));
    data.write(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(epoch);
    data.writeDouble(bestLoss);
    data.writeLong(shuffleState);
    data.writeInt(sampleCount);
    data.writeInt(batchSize);
    writeArray(data, parameters);
    data.writeUTF(optimizer);
    data.writeInt(iteration);
    data.writeDouble(learningRate);
    writeArray(data, optimizerState);
    data.writeBoolean(schedule != null);
    if (schedule != null) {
      data.writeDouble(schedule.best());
      data.writeInt(schedule.badEpochs());
    }
    data.flush();
    long expected = byteLength();
    if (expected < Integer.MAX_VALUE && data.size() + 4L != expected) { // size() stops counting at 2^31 - 1
      throw new IllegalStateException("checkpoint length " + data.size() + " + 4 differs from the computed " + expected);
    }
    new DataOutputStream(out).writeInt((int) crc.getValue());
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

  /** The length and the values, big-endian as writeDouble writes them, through one 64 kB buffer. */
  private static void writeArray(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
    DoubleBuffer doubles = chunk.asDoubleBuffer();
    for (int i = 0; i < values.length; i += CHUNK_BYTES / 8) {
      int n = Math.min(CHUNK_BYTES / 8, values.length - i);
      doubles.clear();
      doubles.put(values, i, n);
      out.write(chunk.array(), 0, 8 * n);
    }
  }

  private static long arrayBytes(double[] values) {
    return 4 + 8L * values.length;
  }

  /** The length writeUTF gives: 2, then 1 byte per char in 1..0x7f, 2 up to 0x7ff (and 0), 3 above. */
  private static long utfBytes(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
    }
    return n;
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

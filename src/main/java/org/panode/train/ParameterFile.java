package org.panode.train;

import org.panode.data.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model parameters as a NumPy .npy file (1-D float64, little-endian), which NumPy
 * ({@code np.load}) and ND4J read: magic "\x93NUMPY", format version, a header giving dtype and
 * shape (the parameter count), then the values. Saving is atomic; loading checks everything
 * before writing any parameter.
 */
public final class ParameterFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,?\\s*\\)");

  private ParameterFile() {}

  /** Writes the parameters to {@code file} (atomically replacing it). */
  public static void save(Path file, Parameters parameters) throws IOException {
    double[] values = parameters.get();
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.US_ASCII));
    out.asDoubleBuffer().put(values);
    AtomicFile.write(file, out.array());
  }

  /** Reads {@code file} into the parameters; on any error (foreign, corrupt, wrong count) writes nothing. */
  public static void load(Path file, Parameters parameters) throws IOException {
    double[] values = read(file);
    if (values.length != parameters.count()) {
      throw new IllegalArgumentException(file + " holds " + values.length + " parameters; the model has "
          + parameters.count());
    }
    try {
      parameters.set(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The values of a 1-D float64 .npy file. */
  public static double[] read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(in.array(), MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException(file + " is not a .npy parameter file (no \\x93NUMPY magic)");
    }
    in.position(MAGIC.length);
    int major = in.get();
    in.get();
    long headerLength = switch (major) {
      case 1 -> Short.toUnsignedInt(in.getShort());
      case 2, 3 -> in.remaining() >= 4 ? Integer.toUnsignedLong(in.getInt()) : -1;
      default -> throw new IllegalArgumentException(file + ": unsupported .npy format version " + major);
    };
    if (headerLength < 0 || headerLength > in.remaining()) {
      throw new IllegalArgumentException(file + " is corrupt: its .npy header is cut short");
    }
    String header = new String(in.array(), in.position(), (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    in.position(in.position() + (int) headerLength);
    String descr = field(DESCR, header, file);
    if (!descr.equals("<f8")) {
      throw new IllegalArgumentException(file + " holds dtype '" + descr + "'; parameters are float64 ('<f8')");
    }
    if (field(FORTRAN, header, file).equals("True")) {
      throw new IllegalArgumentException(file + " is in Fortran order; parameters are a 1-D array");
    }
    long count = Long.parseLong(field(SHAPE, header, file));
    if (8 * count != in.remaining()) {
      throw new IllegalArgumentException(file + " is corrupt: its header says " + count + " parameters ("
          + 8 * count + " bytes) but " + in.remaining() + " bytes of data follow");
    }
    double[] values = new double[(int) count];
    in.asDoubleBuffer().get(values);
    return values;
  }

  private static String field(Pattern pattern, String header, Path file) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException(file + ": the .npy header " + header.strip()
          + " does not describe a 1-D float64 array (" + pattern.pattern() + " not found)");
    }
    return m.group(1);
  }
}

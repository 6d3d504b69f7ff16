package org.panode.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * NumPy's .npy format (format versions 1.0, 2.0 and 3.0 read; 1.0 written, 2.0 if the header
 * needs it): magic {@code \x93NUMPY}, version, header length, a header dict padded with spaces to
 * a multiple of 64 bytes and ending in a newline, then the data in C order. Reads float64, float32
 * (widened exactly to double), int8, int32, int64 and unicode strings ({@code <U n}: n UTF-32 code
 * units per element, NUL-padded) in either byte order; writes little-endian float64 ({@code <f8}),
 * int64 ({@code <i8}) and unicode ({@code <U n}, n the longest string's code points). Files are
 * written atomically.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;

  private Npy() {}

  /** Reads a .npy file; IllegalArgumentException naming the file if it is corrupt or foreign. */
  public static NdArray read(Path file) throws IOException {
    try {
      return decode(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a .npy file atomically. */
  public static void write(Path file, NdArray array) throws IOException {
    byte[] bytes = encode(array);
    AtomicFile.write(file, out -> out.write(bytes));
  }

  /** Writes the .npy bytes of an array to a stream. */
  public static void write(OutputStream out, NdArray array) throws IOException {
    out.write(encode(array));
  }

  /** The .npy bytes of an array. */
  public static byte[] encode(NdArray array) {
    int width = array instanceof NdArray.Strings t ? unicodeWidth(t) : 0;
    String descr = switch (array) {
      case NdArray.Doubles d -> "<f8";
      case NdArray.Longs l -> "<i8";
      case NdArray.Strings t -> "<U" + width;
    };
    int itemBytes = array instanceof NdArray.Strings ? 4 * width : 8;
    String dict = new NpyHeader(descr, false, array.shape()).format();
    int version = 1, prefix = MAGIC.length + 4;
    int padded = (prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    if (padded - prefix > 65535) {
      version = 2;
      prefix += 2;
      padded = (prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    ByteBuffer out = ByteBuffer.allocate(Math.addExact(padded, Math.multiplyExact(itemBytes, array.size())))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) {
      out.putShort((short) header.length());
    } else {
      out.putInt(header.length());
    }
    out.put(header.getBytes(StandardCharsets.US_ASCII));
    switch (array) {
      case NdArray.Doubles d -> out.asDoubleBuffer().put(d.data());
      case NdArray.Longs l -> out.asLongBuffer().put(l.data());
      case NdArray.Strings t -> {
        var units = out.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int i = 0; i < t.data().length; i++) {
          int[] points = t.data()[i].codePoints().toArray();
          units.position(i * width);
          units.put(points);
        }
      }
    }
    return out.array();
  }

  /** Decodes .npy bytes; IllegalArgumentException saying what is wrong. */
  public static NdArray decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < MAGIC.length + 2 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException("not a NumPy .npy file (it does not start with \\x93NUMPY)");
    }
    in.position(MAGIC.length);
    int major = in.get(), minor = in.get();
    int lengthBytes = switch (major) {
      case 1 -> 2;
      case 2, 3 -> 4;
      default -> throw new IllegalArgumentException("unsupported .npy format version " + major + "." + minor);
    };
    if (in.remaining() < lengthBytes) {
      throw new IllegalArgumentException("truncated: the file ends inside its header length");
    }
    long headerLength = lengthBytes == 2 ? Short.toUnsignedInt(in.getShort()) : Integer.toUnsignedLong(in.getInt());
    if (headerLength > in.remaining()) {
      throw new IllegalArgumentException("truncated: the header says " + headerLength + " bytes but " + in.remaining()
          + " follow");
    }
    String text = new String(bytes, in.position(), (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    in.position(in.position() + (int) headerLength);
    NpyHeader header = NpyHeader.parse(text);
    if (header.fortranOrder()) {
      throw new IllegalArgumentException("Fortran-order arrays are not supported; save a C-order array "
          + "(numpy.ascontiguousarray)");
    }
    Dtype dtype = Dtype.of(header.descr());
    int size = NdArray.size(header.shape());
    long expected = (long) size * dtype.bytes;
    if (in.remaining() != expected) {
      throw new IllegalArgumentException((in.remaining() < expected ? "truncated" : "corrupt") + ": shape "
          + Arrays.toString(header.shape()) + " of " + header.descr() + " needs " + expected + " data bytes, the file has "
          + in.remaining());
    }
    in.order(dtype.order);
    return switch (dtype.kind) {
      case REAL -> {
        double[] data = new double[size];
        if (dtype.bytes == 8) {
          in.asDoubleBuffer().get(data);
        } else {
          var floats = in.asFloatBuffer();
          for (int i = 0; i < size; i++) {
            data[i] = floats.get(i); // float -> double is exact
          }
        }
        yield new NdArray.Doubles(header.shape(), data);
      }
      case INTEGER -> {
        long[] data = new long[size];
        switch (dtype.bytes) {
          case 8 -> in.asLongBuffer().get(data);
          case 4 -> {
            var ints = in.asIntBuffer();
            for (int i = 0; i < size; i++) {
              data[i] = ints.get(i);
            }
          }
          default -> {
            int start = in.position();
            for (int i = 0; i < size; i++) {
              data[i] = bytes[start + i];
            }
          }
        }
        yield new NdArray.Longs(header.shape(), data);
      }
      case UNICODE -> new NdArray.Strings(header.shape(), unicode(in, size, dtype.bytes / 4));
    };
  }

  /** size elements of width UTF-32 code units each, NUL-padded at the end. */
  private static String[] unicode(ByteBuffer in, int size, int width) {
    var units = in.asIntBuffer();
    String[] out = new String[size];
    if (size == 0) {
      return out; // no strings: no buffer of the (possibly huge) declared width
    }
    int[] points = new int[width];
    for (int i = 0; i < size; i++) {
      int length = 0;
      for (int c = 0; c < width; c++) {
        int point = units.get(i * width + c);
        if (point != 0) {
          if (!Character.isValidCodePoint(point)) {
            throw new IllegalArgumentException("corrupt: string " + i + " holds " + Integer.toHexString(point)
                + ", not a unicode code point");
          }
          length = c + 1;
        }
        points[c] = point;
      }
      out[i] = new String(points, 0, length);
    }
    return out;
  }

  private static int unicodeWidth(NdArray.Strings strings) {
    int width = 1;
    for (String t : strings.data()) {
      width = Math.max(width, t.codePointCount(0, t.length()));
    }
    return width;
  }

  private enum Kind { REAL, INTEGER, UNICODE }

  /** The element types read: float64, float32, int8, int32, int64, unicode; bytes per element; byte order. */
  private record Dtype(Kind kind, int bytes, ByteOrder order) {
    static Dtype of(String descr) {
      ByteOrder order = switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
        case '<' -> ByteOrder.LITTLE_ENDIAN;
        case '>' -> ByteOrder.BIG_ENDIAN;
        case '|' -> ByteOrder.LITTLE_ENDIAN; // "not applicable": single bytes
        default -> null;
      };
      String type = order == null ? "" : descr.substring(1);
      boolean single = descr.startsWith("|");
      Dtype dtype = order == null ? null : switch (type) {
        case "f8" -> single ? null : new Dtype(Kind.REAL, 8, order);
        case "f4" -> single ? null : new Dtype(Kind.REAL, 4, order);
        case "i8" -> single ? null : new Dtype(Kind.INTEGER, 8, order);
        case "i4" -> single ? null : new Dtype(Kind.INTEGER, 4, order);
        case "i1" -> new Dtype(Kind.INTEGER, 1, order);
        default -> !single && type.matches("U[1-9][0-9]{0,8}") && Long.parseLong(type.substring(1)) * 4 <= Integer.MAX_VALUE
            ? new Dtype(Kind.UNICODE, 4 * Integer.parseInt(type.substring(1)), order) : null;
      };
      if (dtype != null) {
        return dtype;
      }
      throw new IllegalArgumentException("unsupported dtype '" + descr + "' (float64 '<f8', float32 '<f4', int8 '|i1',"
          + " int32 '<i4', int64 '<i8' and unicode '<Un' are read, in either byte order)");
    }
  }
}

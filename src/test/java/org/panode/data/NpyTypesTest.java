package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.Test;

/** float32, int8 and unicode arrays written by NumPy 2.4 (test-data/numpy) read back; strings round-trip. */
public class NpyTypesTest {
  private static final Path NUMPY = Path.of("test-data", "numpy");

  @Test
  public void float32IsWidenedExactly() throws IOException {
    var a = (NdArray.Doubles) Npy.read(NUMPY.resolve("float32-2x2.npy"));
    assertEquals(a.shape(), new int[] {2, 2});
    assertEquals(a.data(), new double[] {0.1f, -2.5f, 3.4028235e38f, 1e-45f});
    assertEquals(a.data()[0], (double) 0.1f); // not 0.1: the float's exact value
    var big = (NdArray.Doubles) Npy.read(NUMPY.resolve("float32-big-endian.npy"));
    assertEquals(big.data(), new double[] {0.1f, 7});
  }

  @Test
  public void int8() throws IOException {
    var a = (NdArray.Longs) Npy.read(NUMPY.resolve("int8.npy"));
    assertEquals(a.shape(), new int[] {4});
    assertEquals(a.data(), new long[] {0, 6, -128, 127});
    assertEquals(a.ints(), new int[] {0, 6, -128, 127});
  }

  @Test
  public void unicode() throws IOException {
    var a = (NdArray.Strings) Npy.read(NUMPY.resolve("unicode.npy"));
    assertEquals(a.shape(), new int[] {4});
    assertEquals(a.data(), new String[] {"Neural_Networks", "Théorie", "", "π≈3.14159 𝄞"});
    Path dir = java.nio.file.Files.createTempDirectory("npyu");
    Path file = dir.resolve("s.npz");
    Npz.write(file, NamedArrays.of(Map.entry("names", a)), true);
    assertEquals(Npz.read(file).strings("names").data(), a.data());
  }

  @Test
  public void unsupportedDtypesAreNamed() {
    String header = "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }";
    byte[] bytes = npy(header, new byte[2]);
    var e = expectThrows(IllegalArgumentException.class, () -> Npy.decode(bytes));
    assertTrue(e.getMessage().contains("unsupported dtype '<f2'") && e.getMessage().contains("'|i1'"), e.getMessage());
    byte[] badPoint = npy("{'descr': '<U1', 'fortran_order': False, 'shape': (1,), }", new byte[] {0, 0, 0, 0x7f});
    var c = expectThrows(IllegalArgumentException.class, () -> Npy.decode(badPoint));
    assertTrue(c.getMessage().contains("not a unicode code point"), c.getMessage());
  }

  /** A version-1.0 .npy with this header and data. */
  private static byte[] npy(String dict, byte[] data) {
    int prefix = 10;
    int padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    var out = java.nio.ByteBuffer.allocate(padded + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
    return out.array();
  }
}

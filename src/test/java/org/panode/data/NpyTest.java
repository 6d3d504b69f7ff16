package org.panode.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.expectThrows;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** .npy/.npz: files written by NumPy (test-data/numpy, made with numpy 2.4) read back; round trips; bad files. */
public class NpyTest {
  private static final Path NUMPY = Path.of("test-data", "numpy");

  @Test
  public void readsNumpyFiles() throws IOException {
    var a = (NdArray.Doubles) Npy.read(NUMPY.resolve("float64-2x3.npy"));
    assertEquals(a.shape(), new int[] {2, 3});
    assertEquals(a.data(), new double[] {-1, -0.5, 0, 0.5, 1, 1.5});
    NamedArrays mixed = Npz.read(NUMPY.resolve("mixed.npz"));
    assertEquals(mixed.doubles("u").data(), a.data());
    assertEquals(((NdArray.Longs) mixed.get("ids")).data(), new long[] {3, -1, 7, 1L << 40});
    assertEquals(((NdArray.Longs) mixed.get("small")).data(), new long[] {1, 2, 3});
    assertEquals(mixed.doubles("big").data(), new double[] {1.5, -2.25});
    assertEquals(Npz.read(NUMPY.resolve("compressed.npz")).doubles("x").data(), new double[] {0, 0.25, 0.5, 0.75, 1});
  }

  @Test
  public void roundTrips() throws IOException {
    Path dir = Files.createTempDirectory("npy");
    var u = NdArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    var ids = new NdArray.Longs(new int[] {3}, new long[] {5, 6, 7});
    for (boolean compress : new boolean[] {false, true}) {
      Path file = dir.resolve("a" + compress + ".npz");
      Npz.write(file, NamedArrays.of(java.util.Map.entry("u", u), java.util.Map.entry("ids", ids)), compress);
      NamedArrays back = Npz.read(file);
      assertEquals(back.doubles("u").shape(), new int[] {2, 2, 2});
      assertEquals(back.doubles("u").data(), u.data());
      assertEquals(((NdArray.Longs) back.get("ids")).data(), ids.data());
    }
    Npy.write(dir.resolve("u.npy"), u);
    assertEquals(((NdArray.Doubles) Npy.read(dir.resolve("u.npy"))).data(), u.data());
  }

  /** An empty array of a huge declared string width reads as empty, without a buffer of that width (2 GB here, before). */
  @Test
  public void anEmptyArrayOfHugeStringsAllocatesNothingLarge() {
    String header = "{'descr': '<U500000000', 'fortran_order': False, 'shape': (0,), }";
    header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
    byte[] bytes = new byte[10 + header.length()];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)};
    System.arraycopy(magic, 0, bytes, 0, 10);
    System.arraycopy(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 10, header.length());
    long before = allocatedBytes();
    NdArray array = Npy.decode(bytes);
    long allocated = allocatedBytes() - before;
    assertEquals(((NdArray.Strings) array).data().length, 0);
    assertTrue(allocated < 10_000_000, allocated + " bytes allocated");
  }

  /** The bytes this thread allocated so far (HotSpot's com.sun.management bean, reached by reflection: the module does not read it). */
  private static long allocatedBytes() {
    try {
      Object threads = java.lang.management.ManagementFactory.getThreadMXBean();
      return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("this JVM does not count allocated bytes", e);
    }
  }

  @Test
  public void badFilesGiveClearErrors() throws IOException {
    byte[] good = Files.readAllBytes(NUMPY.resolve("float64-2x3.npy"));
    var truncated = expectThrows(IllegalArgumentException.class, () -> Npy.decode(java.util.Arrays.copyOf(good, good.length - 8)));
    assertTrue(truncated.getMessage().startsWith("truncated"), truncated.getMessage());
    var foreign = expectThrows(IllegalArgumentException.class, () -> Npy.decode("hello, world".getBytes()));
    assertTrue(foreign.getMessage().contains("not a NumPy .npy file"), foreign.getMessage());
    Path dir = Files.createTempDirectory("npz");
    Path notZip = dir.resolve("bad.npz");
    Files.writeString(notZip, "not a zip");
    var e = expectThrows(IOException.class, () -> Npz.read(notZip));
    assertTrue(e.getMessage().contains("is not a .npz file"), e.getMessage());
    var missing = expectThrows(IllegalArgumentException.class, () -> Npz.read(NUMPY.resolve("mixed.npz")).get("nope"));
    assertTrue(missing.getMessage().contains("[u, ids, small, big]"), missing.getMessage());
  }

  @Test
  public void aFailedWriteLeavesTheOldFile() throws IOException {
    Path dir = Files.createTempDirectory("atomic");
    Path file = dir.resolve("data.npz");
    Npz.write(file, NamedArrays.of(java.util.Map.entry("x", NdArray.of(new double[] {1}, 1))), false);
    byte[] before = Files.readAllBytes(file);
    assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
      out.write(new byte[] {1, 2, 3});
      throw new IOException("disk full (simulated)");
    }));
    assertEquals(Files.readAllBytes(file), before);
    try (var left = Files.list(dir)) {
      assertEquals(left.count(), 1L, "no temporary file left behind");
    }
  }
}

package org.panode.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's .npz format: a zip archive of .npy entries named {@code <array>.npy}, stored
 * ({@code numpy.savez}) or deflated ({@code numpy.savez_compressed}). Files are written atomically.
 */
public final class Npz {
  private static final String SUFFIX = ".npy";
  private static final LocalDateTime NUMPY_DATE = LocalDateTime.of(1980, 1, 1, 0, 0);

  private Npz() {}

  /** Reads every array; IOException or IllegalArgumentException naming the file and entry if it is corrupt or foreign. */
  public static NamedArrays read(Path file) throws IOException {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    try (ZipFile zip = open(file)) {
      for (ZipEntry entry : zip.stream().toList()) {
        String name = entry.getName();
        if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
          throw new IllegalArgumentException(file + ": entry '" + name + "' is not a .npy array; a .npz holds only those");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        } catch (ZipException e) {
          throw new IOException(file + ": entry '" + name + "' is corrupt: " + e.getMessage(), e);
        }
        try {
          arrays.put(name.substring(0, name.length() - SUFFIX.length()), Npy.decode(bytes));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": entry '" + name + "': " + e.getMessage(), e);
        }
      }
    }
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no arrays");
    }
    return new NamedArrays(arrays);
  }

  /** Writes the arrays atomically, each entry deflated if {@code compress}, else stored. */
  public static void write(Path file, NamedArrays arrays, boolean compress) throws IOException {
    AtomicFile.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (var named : arrays.arrays().entrySet()) {
        byte[] bytes = Npy.encode(named.getValue());
        ZipEntry entry = new ZipEntry(named.getKey() + SUFFIX);
        entry.setTimeLocal(NUMPY_DATE); // as numpy.savez: the same arrays give the same bytes
        if (compress) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          CRC32 crc = new CRC32();
          crc.update(bytes);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(bytes.length);
          entry.setCompressedSize(bytes.length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
      }
      zip.finish();
    });
  }

  private static ZipFile open(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(file + " is not a .npz file (not a readable zip archive: " + e.getMessage() + ")", e);
    }
  }
}

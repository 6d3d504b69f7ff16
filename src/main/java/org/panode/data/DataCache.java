package org.panode.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Generated data kept as .npz files named {@code <name>-<hash>.npz}, the hash (12 hex digits of
 * SHA-256) taken over the generator's parameters and {@link #FORMAT}: a change of either makes a
 * new file. Generated on first use, then read back. Writes are atomic, so concurrent generators of
 * the same file cannot leave a partial one.
 */
public final class DataCache {
  /** Bumped when a generator's algorithm changes its output, so older files are not reused. */
  static final int FORMAT = 1;

  private final Path folder;

  public DataCache(Path folder) {
    this.folder = folder;
  }

  /** ${PANODE_CACHE}/data, or ~/.cache/panode/data when PANODE_CACHE is unset or empty. */
  public static DataCache standard() {
    String root = System.getenv("PANODE_CACHE");
    Path base = root == null || root.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache", "panode") : Path.of(root);
    return new DataCache(base.resolve("data"));
  }

  private static volatile Path lastFile;

  /** The file the latest {@link #load} in this process read or wrote (null before any): what `generate` reports. */
  public static Path lastFile() {
    return lastFile;
  }

  /** The file for a generator's name and parameters. */
  public Path file(String name, String parameters) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("format " + FORMAT + "; " + parameters).getBytes(StandardCharsets.UTF_8));
      return folder.resolve(name + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".npz");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The cached arrays, or the generator's (then written to the cache). A cached file that cannot
   * be read is an error naming it: delete it to regenerate.
   */
  public NamedArrays load(String name, String parameters, Supplier<NamedArrays> generator) throws IOException {
    Path file = file(name, parameters);
    lastFile = file;
    if (Files.exists(file)) {
      try {
        return Npz.read(file);
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("the cached data " + file + " cannot be read (" + e.getMessage() + "); delete it to regenerate", e);
      }
    }
    NamedArrays arrays = generator.get();
    Files.createDirectories(folder);
    Npz.write(file, arrays, false);
    return arrays;
  }
}

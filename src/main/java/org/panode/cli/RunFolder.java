package org.panode.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where a run writes, chosen before anything is loaded or written, so that no run replaces an
 * earlier one's results: without {@code --out} a new folder (the default name, else the default
 * name with -2, -3, ...); an explicit {@code --out} that already holds files is refused unless
 * {@code --overwrite} is given or it is the folder of the run being resumed.
 *
 * <p>{@link #claim} makes the chosen folder this process's until {@link #release}: a lock on its
 * {@value #MARKER} file, which the system lets go when the process ends however it ends. Two runs
 * started together therefore never share a folder, and a run is never resumed while it still runs.
 */
final class RunFolder {
  /** The file a running run holds locked in its folder (deleted when it ends normally). */
  static final String MARKER = ".panode-running";
  /** This process's claimed folders: the marker's channel, which holds the lock, and whether the folder was made for it. */
  private static final Map<Path, Claim> CLAIMED = new ConcurrentHashMap<>();

  private record Claim(FileChannel channel, boolean made) {}

  private RunFolder() {}

  /**
   * {@link #choose} and {@link #claim} in one: the folder chosen, now this process's. A default name
   * that another run claimed meanwhile gives way to the next free one; an explicit or resumed folder
   * that another run holds is refused.
   */
  static Path chooseAndClaim(Path requested, Path standard, boolean overwrite, Path resumed) {
    for (int tries = 0; ; tries++) {
      Path chosen = choose(requested, standard, overwrite, resumed);
      if (claim(chosen)) {
        return chosen;
      }
      if (requested != null || resumed != null || tries > 100) {
        throw new IllegalArgumentException(busy(chosen));
      }
    }
  }

  private static String busy(Path folder) {
    return "another run is writing into " + folder + " now (it holds " + folder.resolve(MARKER).getFileName()
        + " there locked); wait for it to end, or give another --out";
  }

  /**
   * Makes the folder (if missing) and locks its marker file for this process; false when another run
   * holds it. A claim this process already holds counts as held by another run.
   */
  static boolean claim(Path folder) {
    Path key = folder.toAbsolutePath().normalize();
    boolean made = !Files.exists(folder);
    FileChannel channel = null;
    try {
      Files.createDirectories(folder);
      channel = FileChannel.open(folder.resolve(MARKER), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null || CLAIMED.putIfAbsent(key, new Claim(channel, made)) != null) {
        channel.close();
        return false;
      }
      return true;
    } catch (OverlappingFileLockException e) { // this process holds it
      close(channel);
      return false;
    } catch (IOException e) {
      close(channel);
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + e.getMessage());
    }
  }

  /**
   * Ends this process's claim: the marker goes, and so does the folder if the claim made it and the
   * run wrote nothing into it (it failed before its first output). Nothing else is removed.
   */
  static void release(Path folder) {
    Claim claim = CLAIMED.remove(folder.toAbsolutePath().normalize());
    if (claim == null) {
      return;
    }
    try {
      Files.deleteIfExists(folder.resolve(MARKER));
      if (claim.made() && isEmpty(folder)) {
        Files.deleteIfExists(folder);
      }
    } catch (IOException e) {
      // a marker left behind is unlocked once the channel closes: the folder stays usable
    } finally {
      close(claim.channel());
    }
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing releases the lock; nothing more to do
      }
    }
  }

  /** Whether a run holds the folder's marker locked now (this process's claims included). */
  private static boolean heldByARun(Path folder) {
    Path marker = folder.resolve(MARKER);
    if (CLAIMED.containsKey(folder.toAbsolutePath().normalize())) {
      return true;
    }
    try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false; // gone meanwhile, or not ours to open: the listing decides
    }
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * @param requested {@code --out}, or null
   * @param standard the problem's default folder
   * @param overwrite {@code --overwrite}
   * @param resumed the folder of the run being resumed, or null
   */
  static Path choose(Path requested, Path standard, boolean overwrite, Path resumed) {
    for (Path wanted : new Path[] {requested, resumed}) {
      if (wanted != null && Files.isDirectory(wanted) && heldByARun(wanted)) {
        throw new IllegalArgumentException(busy(wanted));
      }
    }
    Path chosen;
    if (requested != null) {
      chosen = requested;
      if (!isFree(chosen) && !overwrite && !(resumed != null && same(chosen, resumed))) {
        throw new IllegalArgumentException("the output folder " + chosen + " already holds files; give a new --out, "
            + "--overwrite to replace its results, or --resume " + chosen + " to continue the run in it");
      }
    } else if (resumed != null) {
      chosen = resumed;
    } else {
      chosen = standard;
      for (int n = 2; !isFree(chosen); n++) {
        chosen = standard.resolveSibling(standard.getFileName() + "-" + n);
      }
    }
    requireCreatable(chosen);
    return chosen;
  }

  /**
   * Where a run that replaces {@code out}'s results (--overwrite of a folder holding files) writes
   * until it has finished: a new folder beside it, NAME.overwriting (then -2, ...), claimed; null
   * when {@code out} holds nothing to replace. {@link #replace} then puts it in out's place, so a
   * failed or killed run leaves out's results as they were.
   */
  static Path stagingFor(Path out) {
    if (isFree(out)) {
      return null;
    }
    Path staging = out.toAbsolutePath().normalize();
    return chooseAndClaim(null, staging.resolveSibling(staging.getFileName() + ".overwriting"), false, null);
  }

  /** The files a run writes (and the temporary ones of its atomic writes): what --overwrite replaces. */
  private static final java.util.regex.Pattern RUN_OUTPUT = java.util.regex.Pattern.compile(
      "\\.?(loss(-[^/]+)?\\.(csv|png)|costs(-[^/]+)?\\.txt|model\\.npy|checkpoint\\.bin|species\\.png|rollout\\.png"
          + "|accuracy\\.(csv|png))(\\..*\\.tmp)?|" + java.util.regex.Pattern.quote(MARKER));

  /**
   * Ends both claims and puts the finished run's folder {@code staging} in place of {@code out}: the
   * files in out that no run writes (a user's notes) move into staging first, out is renamed aside,
   * staging renamed to out, and only then is the old folder, now holding only the replaced results,
   * deleted. Stopped at any point, one complete set of results is on disk (out, or the old one beside
   * it and staging).
   */
  static void replace(Path out, Path staging) throws IOException {
    release(staging);
    release(out);
    try (Stream<Path> entries = Files.list(out)) {
      for (Path p : entries.toList()) {
        Path there = staging.resolve(p.getFileName().toString());
        if (!RUN_OUTPUT.matcher(p.getFileName().toString()).matches() && !Files.exists(there)) {
          Files.move(p, there, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      }
    }
    Path old = out.resolveSibling(out.getFileName() + ".replaced");
    for (int n = 2; Files.exists(old); n++) {
      old = out.resolveSibling(out.getFileName() + ".replaced-" + n);
    }
    Files.move(out, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try (Stream<Path> paths = Files.walk(old)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * A folder that does not exist yet, or an empty one; a marker that no run holds (left by a run
   * killed before its first output) does not count.
   */
  static boolean isFree(Path folder) {
    if (!Files.exists(folder)) {
      return true;
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("the output folder " + folder + " is a file, not a folder");
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(MARKER)) && !heldByARun(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the output folder " + folder + ": " + e.getMessage());
    }
  }

  static boolean same(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder exists and is writable, or its nearest existing ancestor is a writable folder. */
  private static void requireCreatable(Path folder) {
    Path p = folder.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null || !Files.isDirectory(p)) {
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + p + " is not a folder");
    }
    if (!Files.isWritable(p)) {
      throw new IllegalArgumentException("cannot create the output folder " + folder + ": " + p + " is not writable");
    }
  }
}

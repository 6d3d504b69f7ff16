package org.panode.petsc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * native/petsc.sh without building anything: its version check on fake installations (3.21 refused,
 * any 3.22.x taken), the recorded checksum refusing a damaged tarball, the cache lookup that keeps
 * finding the existing 3.22.5 build, and the one-line message when no source can be had.
 */
public class PetscScriptTest {
  private static final Path SCRIPT = Path.of("native", "petsc.sh").toAbsolutePath();

  record Result(int code, String out, String err) {}

  private static Result bash(String script, Map<String, String> env) throws IOException, InterruptedException {
    Path err = Files.createTempFile("petsc-sh", ".err");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectError(err.toFile());
    pb.environment().remove("PETSC_DIR");
    pb.environment().remove("PETSC_ARCH");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    return new Result(code, out, Files.readString(err).strip());
  }

  private static Path fakeInstallation(String version, boolean complex) throws IOException {
    String[] v = version.split("\\.");
    Path dir = Files.createTempDirectory("fake-petsc-" + version);
    Files.createDirectories(dir.resolve("include"));
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("include/petscversion.h"), "#define PETSC_VERSION_MAJOR " + v[0] + "\n#define PETSC_VERSION_MINOR "
        + v[1] + "\n#define PETSC_VERSION_SUBMINOR " + v[2] + "\n");
    Files.writeString(dir.resolve("include/petscconf.h"), "#define PETSC_USE_REAL_DOUBLE 1\n"
        + (complex ? "#define PETSC_USE_COMPLEX 1\n" : ""));
    Files.writeString(dir.resolve("lib/libpetsc.so"), "");
    return dir;
  }

  @Test
  public void versionCheckTakesAny322AndRefusesOthers() throws Exception {
    Path old = fakeInstallation("3.21.6", false);
    Result r = bash("'" + SCRIPT + "' --check", Map.of("PETSC_DIR", old.toString()));
    assertEquals(r.code(), 1, r.err());
    assertTrue(r.err().contains("3.21.6") && r.err().contains("need 3.22.x"), r.err());
    assertEquals(r.err().lines().count(), 1L, r.err());
    assertEquals(r.out(), "");
    Path newer = fakeInstallation("3.22.9", false);
    r = bash("'" + SCRIPT + "' --check", Map.of("PETSC_DIR", newer.toString()));
    assertEquals(r.code(), 0, r.err());
    assertEquals(r.out(), newer.toString());
    r = bash("'" + SCRIPT + "' --check", Map.of("PETSC_DIR", fakeInstallation("3.22.5", true).toString()));
    assertEquals(r.code(), 1);
    assertTrue(r.err().contains("complex"), r.err());
  }

  @Test
  public void aTarballThatDoesNotMatchItsRecordedChecksumIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("tarball");
    Path tarball = dir.resolve("petsc_3.22.5+dfsg1.orig.tar.xz");
    Files.writeString(tarball, "not PETSc");
    Result r = bash("source '" + SCRIPT + "'; verify_tarball '" + tarball + "'", Map.of());
    assertEquals(r.code(), 1);
    assertTrue(r.err().contains("sha256") && r.err().contains("f3692bd85214"), r.err());
    r = bash("source '" + SCRIPT + "'; tarball_version petsc_3.22.5+dfsg1.orig.tar.xz; tarball_version /x/petsc-3.22.11.tar.gz;"
        + " tarball_version petsc-3.21.1.tar.gz", Map.of());
    assertEquals(r.out(), "3.22.5\n3.22.11");
  }

  @Test
  public void theCacheKeyOf3225IsUnchangedAndCachedBuildsAreFound() throws Exception {
    Path cache = Files.createTempDirectory("cache");
    Map<String, String> env = Map.of("PANODE_CACHE", cache.toString());
    assertEquals(bash("source '" + SCRIPT + "'; options_hash 3.22.5", env).out(), "db545b17f335",
        "existing PETSc 3.22.5 builds must keep being found");
    assertEquals(bash("source '" + SCRIPT + "'; cached_build", env).out(), "");
    Path build = cache.resolve("petsc-3.22.5-db545b17f335");
    Files.createDirectories(build.resolve("lib"));
    Files.writeString(build.resolve("lib/libpetsc.so"), "");
    Files.writeString(build.resolve("panode-configure-line.txt"), "./configure");
    Path foreign = cache.resolve("petsc-3.22.7-000000000000"); // other configure options: not ours
    Files.createDirectories(foreign.resolve("lib"));
    Files.writeString(foreign.resolve("lib/libpetsc.so"), "");
    Files.writeString(foreign.resolve("panode-configure-line.txt"), "./configure");
    assertEquals(bash("source '" + SCRIPT + "'; cached_build", env).out(), build.toString());
    assertEquals(bash("'" + SCRIPT + "'", env).out(), build.toString(), "a cached build is used without any download");
  }

  @Test
  public void aPhaseIsOneLineWithItsOutputInTheLogAndTheTailShownOnFailure() throws Exception {
    Path cache = Files.createTempDirectory("cache");
    Map<String, String> env = Map.of("PANODE_CACHE", cache.toString());
    Result ok = bash("source '" + SCRIPT + "'; phase 'reading the index' seq 1 500", env);
    assertEquals(ok.code(), 0, ok.err());
    assertEquals(ok.err(), "panode/petsc: reading the index");
    assertEquals(ok.out(), "");
    Result failed = bash("source '" + SCRIPT + "'; phase 'configuring' bash -c 'seq 1000 1100; exit 3'", env);
    assertEquals(failed.code(), 1);
    assertTrue(failed.err().startsWith("panode/petsc: configuring\n"), failed.err());
    assertTrue(failed.err().contains("1100") && !failed.err().contains("1000\n"), "the log's tail only: " + failed.err());
    assertTrue(failed.err().endsWith("configuring failed (full log: " + cache.resolve("petsc-setup.log") + ")"), failed.err());
    String log = Files.readString(cache.resolve("petsc-setup.log"));
    assertTrue(log.contains("\n500\n") && log.contains("\n1000\n"), "the whole output is in the log");
  }

  @Test
  public void noSourceIsOneLineSayingWhatToDo() throws Exception {
    Path cache = Files.createTempDirectory("cache");
    Result r = bash("source '" + SCRIPT + "'; no_source 'Debian 13 serves none'", Map.of("PANODE_CACHE", cache.toString()));
    assertEquals(r.code(), 1);
    assertEquals(r.err().lines().count(), 1L, r.err());
    assertTrue(r.err().contains("PETSC_DIR") && r.err().contains(cache.toString()) && r.err().contains("petsc-3.22.N.tar.gz"),
        r.err());
  }
}

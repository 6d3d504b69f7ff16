package org.panode;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Panode as another project's dependency: installs this project (offline) into the local Maven
 * repository, builds the separate project in src/test/resources/library-consumer against it, and
 * runs it with the same JDK: a user's own stiff split ODE by ARKIMEX with its parameter gradient,
 * and a KSP solve, with PETSc found through PETSC_DIR. Run alone: ./run-tests -Dgroups=library
 */
@Test(groups = "library")
public class LibraryConsumerTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final List<String> COMMAND_LINE_ONLY =
      List.of("picocli", "xchart", "progressbar", "jackson-databind", "deeplearning4j-nn", "slf4j-nop");
  private Path work;
  private Path consumer;
  private String classpath;

  @BeforeClass
  public void installPanodeAndBuildTheConsumer() throws Exception {
    work = Files.createTempDirectory("panode-library-");
    // A copy of the library's build inputs: installing from the checkout would rebuild target/ under this JVM.
    Path library = work.resolve("panode");
    copy(ROOT.resolve("pom.xml"), library.resolve("pom.xml"));
    for (String dir : List.of("src/main", "bindings/java", "examples/java")) {
      copy(ROOT.resolve(dir), library.resolve(dir));
    }
    run(library, 300, mvn("install", "-DskipTests"));
    consumer = work.resolve("consumer");
    copy(ROOT.resolve("src/test/resources/library-consumer"), consumer);
    run(consumer, 180, mvn("package"));
    Path cpFile = work.resolve("classpath.txt");
    run(consumer, 120, mvn("dependency:build-classpath", "-Dmdep.outputFile=" + cpFile));
    classpath = consumer.resolve("target/panode-consumer-1.0.jar") + java.io.File.pathSeparator + Files.readString(cpFile).strip();
  }

  @AfterClass(alwaysRun = true)
  public void removeWork() throws IOException {
    if (work != null) {
      try (Stream<Path> paths = Files.walk(work)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  public void theConsumerGetsNoCommandLineDependencies() {
    assertTrue(classpath.contains("panode-0.1.0-SNAPSHOT.jar"), classpath);
    assertTrue(classpath.contains("nd4j-native"), classpath);
    for (String jar : COMMAND_LINE_ONLY) {
      assertFalse(classpath.contains(jar), jar + " reached a library user's classpath: " + classpath);
    }
  }

  public void theConsumerSolvesItsStiffOdeWithGradientAndALinearSystem() throws Exception {
    String petscDir = System.getenv("PETSC_DIR");
    assertTrue(petscDir != null && !petscDir.isBlank(), "the test JVM needs PETSC_DIR (./run-tests sets it)");
    Result r = java(Map.of("PETSC_DIR", petscDir));
    assertEquals(r.rc, 0, r.output);
    // u1 follows u2 = 1/(1 + p t) with lag -u2'/1000: u1(1) = 0.5 + 0.25e-3 + O(1e-6).
    double u1 = number(r.output, "u1\\(1\\) (\\S+)", 1);
    assertEquals(u1, 0.50025, 1e-5, r.output);
    double adjoint = number(r.output, "dL/dp adjoint (\\S+) fd (\\S+)", 1);
    double fd = number(r.output, "dL/dp adjoint (\\S+) fd (\\S+)", 2);
    assertEquals(adjoint, fd, 1e-7 * Math.abs(fd), r.output);
    assertEquals(adjoint, -0.25, 1e-4, r.output); // d/dp of u2(1) = -1/(1 + p)^2
    // [4 1 0; 1 4 1; 0 1 4] x = [1 2 3]: x = [5/28, 2/7, 19/28].
    Pattern ksp = Pattern.compile("ksp x (\\S+) (\\S+) (\\S+) iterations");
    double[] expected = {5.0 / 28, 2.0 / 7, 19.0 / 28};
    for (int i = 0; i < 3; i++) {
      assertEquals(number(r.output, ksp.pattern(), i + 1), expected[i], 1e-10, r.output);
    }
  }

  public void withoutPetscDirTheConsumerGetsAOneLineReason() throws Exception {
    Result r = java(Map.of());
    assertEquals(r.rc, 2, r.output);
    List<String> lines = r.output.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(lines.size(), 1, r.output);
    assertTrue(lines.get(0).startsWith("consumer: PETSc not found: set PETSC_DIR"), r.output);
  }

  private record Result(int rc, String output) {}

  /** Runs the consumer's Main with the test's JDK; PETSc's variables only as given. */
  private Result java(Map<String, String> petscEnv) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
        "consumer.Main");
    pb.environment().keySet().removeAll(List.of("PETSC_DIR", "PETSC_ARCH", "PETSC_OPTIONS"));
    pb.environment().putAll(petscEnv);
    return execute(pb, consumer, 120);
  }

  private static List<String> mvn(String... goals) {
    List<String> command = new ArrayList<>(List.of("mvn", "-o", "-q", "-B"));
    command.addAll(List.of(goals));
    return command;
  }

  private static void run(Path dir, int seconds, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // Maven builds with this JDK
    Result r = execute(pb, dir, seconds);
    assertEquals(r.rc, 0, String.join(" ", command) + " in " + dir + " failed:\n" + r.output);
  }

  private static Result execute(ProcessBuilder pb, Path dir, int seconds) throws Exception {
    Path log = Files.createTempFile("panode-library-", ".log");
    try {
      Process p = pb.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(pb.command() + " did not finish in " + seconds + " s:\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static double number(String output, String regex, int group) {
    Matcher m = Pattern.compile(regex).matcher(output);
    assertTrue(m.find(), "no '" + regex + "' in:\n" + output);
    return Double.parseDouble(m.group(group));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
  }
}

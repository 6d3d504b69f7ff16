package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.panode.petsc.PetscSession;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Parameter files (.npy, readable by NumPy and ND4J) and training checkpoints: round trips, and
 * clear errors for foreign, corrupt and mismatched files that leave the parameters, the trainer
 * and the files themselves untouched.
 */
public class PersistenceTest {
  Path dir;

  @BeforeClass
  void setUp() throws IOException {
    PetscSession.get();
    dir = Files.createTempDirectory("panode-persistence");
  }

  @Test
  public void parameterFilesRoundTripAndAreNpy() throws IOException {
    var problem = TrainerTest.problem(0.3);
    var p = Parameters.of(problem);
    double[] saved = p.get();
    Path file = dir.resolve("model.npy");
    ParameterFile.save(file, p);
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(Arrays.copyOf(bytes, 8), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    int header = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    assertEquals((10 + header) % 64, 0, "NumPy aligns the data to 64 bytes");
    assertTrue(new String(bytes, 10, header, StandardCharsets.US_ASCII).startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (7,), }"));
    assertEquals(Nd4j.createFromNpyFile(file.toFile()).toDoubleVector(), saved, 0, "ND4J reads it");
    p.set(new double[7]);
    ParameterFile.load(file, p);
    assertEquals(p.get(), saved, 0);
    assertEquals(problem.implicit().parameters().getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 1), saved[1],
        "theta_J comes first");
  }

  @Test
  public void badParameterFilesChangeNothing() throws IOException {
    var p = Parameters.of(TrainerTest.problem(0.3));
    double[] before = p.get();
    Path four = dir.resolve("four.npy");
    ParameterFile.save(four, Parameters.of(ReactionDiffusion.model(1, 2, 3, 4)));
    assertError(() -> ParameterFile.load(four, p), "holds 4 parameters; the model has 7");
    Path text = Files.writeString(dir.resolve("notes.npy"), "hello, not numpy");
    assertError(() -> ParameterFile.load(text, p), "is not a .npy parameter file");
    byte[] good = Files.readAllBytes(four);
    Path truncated = Files.write(dir.resolve("truncated.npy"), Arrays.copyOf(good, good.length - 3));
    assertError(() -> ParameterFile.load(truncated, p), "is corrupt");
    Path shortHeader = Files.write(dir.resolve("short.npy"), Arrays.copyOf(good, 20));
    assertError(() -> ParameterFile.load(shortHeader, p), "is corrupt");
    Path float32 = Files.write(dir.resolve("float32.npy"), new String(good, StandardCharsets.ISO_8859_1)
        .replace("<f8", "<f4").getBytes(StandardCharsets.ISO_8859_1));
    assertError(() -> ParameterFile.load(float32, p), "dtype '<f4'");
    double[] withNan = ReactionDiffusion.model(1, 2, 3, 4).explicit().parameters().toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
    Path nan = dir.resolve("nan.npy");
    ParameterFile.save(nan, Parameters.of(java.lang.foreign.MemorySegment.ofArray(
        new double[] {0, 0, 0, Double.NaN, withNan[0], withNan[1], withNan[2]})));
    assertError(() -> ParameterFile.load(nan, p), "parameter 3 is NaN");
    assertEquals(p.get(), before, 0);
    assertEquals(Files.readAllBytes(four), good, "loading leaves the file as it was");
  }

  static void assertError(org.testng.Assert.ThrowingRunnable r, String fragment) {
    var e = expectThrows(IllegalArgumentException.class, r);
    System.out.println(e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
  }

  /** A trainer's whole resumable state, for before/after comparisons. */
  static String snapshot(Trainer t) {
    var c = t.checkpoint();
    return Arrays.toString(c.parameters()) + Arrays.toString(c.optimizerState()) + c.iteration() + " " + c.learningRate()
        + " " + c.epoch() + " " + c.bestLoss() + " " + c.shuffleState() + " " + c.schedule();
  }

  @Test
  public void badCheckpointsChangeNothing() throws IOException {
    var data = TrainerTest.data();
    try (var ode = TrainerTest.ode(TrainerTest.problem(0.1)); var other = TrainerTest.ode(TrainerTest.problem(0.5));
        var smaller = TrainerTest.ode(ReactionDiffusion.model(0, 0, 0, 0))) {
      var source = TrainerTest.trainer(ode, 1);
      source.train(1);
      Path good = dir.resolve("good.ckpt");
      source.saveCheckpoint(good);
      byte[] bytes = Files.readAllBytes(good);

      var target = TrainerTest.trainer(other, 2);
      String before = snapshot(target);
      byte[] damaged = bytes.clone();
      damaged[bytes.length / 2] ^= 0x10;
      assertCheckpointError(target, Files.write(dir.resolve("flipped.ckpt"), damaged), "checksum mismatch");
      assertCheckpointError(target, Files.write(dir.resolve("cut.ckpt"), Arrays.copyOf(bytes, bytes.length - 9)), "checksum mismatch");
      Path npy = dir.resolve("params.npy");
      ParameterFile.save(npy, target.parameters());
      assertCheckpointError(target, npy, "not a Panode training checkpoint");
      byte[] future = bytes.clone();
      ByteBuffer.wrap(future).order(ByteOrder.BIG_ENDIAN).putInt(8, 2);
      assertCheckpointError(target, Files.write(dir.resolve("future.ckpt"), future), "version 2 checkpoint");

      var schedule = new PlateauSchedule(0, 0.5, 1e-4, 0.5);
      assertCheckpointError(new Trainer(other, data, Loss.mse(), Optimizer.named("adam", 0.02, 7), 4, 2).schedule(schedule),
          good, "the checkpoint's optimizer is adamw");
      assertCheckpointError(new Trainer(smaller, data, Loss.mse(), Optimizer.named("adamw", 0.02, 4), 4, 2).schedule(schedule),
          good, "the checkpoint has 7 parameters; the model has 4");
      assertCheckpointError(new Trainer(other, data, Loss.mse(), Optimizer.named("adamw", 0.02, 7), 4, 2),
          good, "the checkpoint has a plateau schedule; this trainer has none");
      assertCheckpointError(new Trainer(other, data, Loss.mse(), Optimizer.named("adamw", 0.02, 7), 5, 2).schedule(schedule),
          good, "in batches of 4; this trainer has 10 in batches of 5");

      assertEquals(snapshot(target), before, "the trainer is untouched");
      assertEquals(Files.readAllBytes(good), bytes, "the good checkpoint is untouched");
      target.resume(good);
      assertEquals(snapshot(target), snapshot(source));
    }
  }

  static void assertCheckpointError(Trainer t, Path file, String fragment) {
    String before = snapshot(t);
    assertError(() -> t.resume(file), fragment);
    assertEquals(snapshot(t), before);
  }

  @Test
  public void failedWritesLeaveTheOldFileAndNoTemporaries() throws IOException {
    var p = Parameters.of(ReactionDiffusion.model(1, 2, 3, 4));
    Path sub = Files.createDirectory(dir.resolve("writes"));
    Path file = sub.resolve("model.npy");
    ParameterFile.save(file, p);
    byte[] first = Files.readAllBytes(file);
    p.set(new double[] {5, 6, 7, 8});
    ParameterFile.save(file, p);
    assertEquals(ParameterFile.read(file), new double[] {5, 6, 7, 8});
    expectThrows(IOException.class, () -> ParameterFile.save(sub.resolve("missing/model.npy"), p));
    try (var files = Files.list(sub)) {
      assertEquals(files.toList(), List.of(file));
    }
    assertTrue(first.length == Files.size(file));
  }

  @Test
  public void checkpointRecordsSurviveTheFile() throws IOException {
    var c = new TrainingCheckpoint(3, 0.25, -77L, 10, 4, new double[] {1, -2}, "rmsprop", 12, 1e-3, new double[] {0.5, 0.25},
        null);
    Path file = dir.resolve("record.ckpt");
    c.write(file);
    var back = TrainingCheckpoint.read(file);
    assertEquals(back.parameters(), c.parameters());
    assertEquals(back.optimizerState(), c.optimizerState());
    assertEquals(List.of(back.epoch(), back.bestLoss(), back.shuffleState(), back.sampleCount(), back.batchSize(), back.optimizer(),
        back.iteration(), back.learningRate()), List.of(3, 0.25, -77L, 10, 4, "rmsprop", 12, 1e-3));
    assertEquals(back.schedule(), null);
  }

  @Test
  public void streamedCheckpointsHaveTheirComputedLengthAndChecksum() throws IOException {
    // arrays longer than the 64 kB write buffer, an optimizer name with 2- and 3-byte UTF-8 chars, with and without a schedule
    double[] parameters = new double[20_000], state = new double[40_001];
    for (int i = 0; i < state.length; i++) {
      state[i] = Math.sin(i);
      if (i < parameters.length) {
        parameters[i] = i - 0.5;
      }
    }
    for (var schedule : java.util.Arrays.asList(null, new PlateauSchedule.State(0.125, 3))) {
      var c = new TrainingCheckpoint(7, 0.5, 11L, 100, 10, parameters, "adam\u00e9\u20ac", 42, 1e-2, state, schedule);
      Path file = dir.resolve("streamed.ckpt");
      c.write(file);
      assertEquals(Files.size(file), c.byteLength());
      assertEquals(Files.readAllBytes(file), c.bytes());
      var back = TrainingCheckpoint.read(file);
      assertEquals(back.parameters(), parameters);
      assertEquals(back.optimizerState(), state);
      assertEquals(back.optimizer(), "adam\u00e9\u20ac");
      assertEquals(back.schedule(), schedule);
    }
  }

  @Test
  public void checkpointsIntoGivenArraysEqualNewOnes() throws IOException {
    try (var ode = TrainerTest.ode(TrainerTest.problem(0.1))) {
      var t = TrainerTest.trainer(ode, 1);
      t.train(1);
      var fresh = t.checkpoint();
      double[] p = new double[t.parameters().count()], s = new double[t.optimizer().stateSize()];
      var reused = t.checkpoint(p, s);
      assertTrue(reused.parameters() == p && reused.optimizerState() == s, "the given arrays are used");
      assertEquals(p, fresh.parameters());
      assertEquals(s, fresh.optimizerState());
      assertEquals(reused.bytes(), fresh.bytes());
      assertError(() -> t.checkpoint(new double[p.length + 1], s), "expected an array of " + p.length + " parameters");
      assertError(() -> t.checkpoint(p, new double[1]), "has a state of " + s.length + " values");
    }
  }
}

package org.panode.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** The plateau schedule follows PyTorch's ReduceLROnPlateau (mode min, relative threshold). */
public class PlateauScheduleTest {
  @Test
  public void reducesAfterMoreThanPatienceBadEpochsDownToTheMinimum() {
    var schedule = new PlateauSchedule(2, 0.5, 0.1);
    double rate = 1;
    double[] losses = {1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
    double[] expected = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.1, 0.1, 0.1, 0.1};
    for (int e = 0; e < losses.length; e++) {
      rate = schedule.next(losses[e], rate);
      assertEquals(rate, expected[e], 0, "after epoch " + (e + 1));
    }
  }

  @Test
  public void anImprovementResetsTheCountAndTinyOnesDoNotCount() {
    var schedule = new PlateauSchedule(1, 0.5, 0);
    assertEquals(schedule.next(1.0, 1), 1.0);
    assertEquals(schedule.next(1.0, 1), 1.0); // 1 bad epoch
    assertEquals(schedule.next(0.5, 1), 1.0); // improvement: count reset
    assertEquals(schedule.next(0.5, 1), 1.0); // 1 bad epoch
    assertEquals(schedule.state(), new PlateauSchedule.State(0.5, 1));
    assertEquals(schedule.next(0.49999, 1), 0.5); // below best by less than the 1e-4 threshold: bad
  }

  @Test
  public void stateRoundTrips() {
    var a = new PlateauSchedule(3, 0.5, 0);
    a.next(1, 1);
    a.next(2, 1);
    var b = new PlateauSchedule(3, 0.5, 0);
    b.restore(a.state());
    for (int e = 0; e < 5; e++) {
      assertEquals(b.next(3, 1), a.next(3, 1));
    }
  }

  @Test
  public void badSettingsAreRefused() {
    expectThrows(IllegalArgumentException.class, () -> new PlateauSchedule(-1, 0.5, 0));
    expectThrows(IllegalArgumentException.class, () -> new PlateauSchedule(1, 1, 0));
    expectThrows(IllegalArgumentException.class, () -> new PlateauSchedule(1, 0.5, -1));
    expectThrows(IllegalArgumentException.class, () -> new PlateauSchedule.State(Double.NaN, 0));
    expectThrows(IllegalArgumentException.class, () -> new PlateauSchedule.State(1, -1));
  }
}

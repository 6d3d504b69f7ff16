package org.panode.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.testng.annotations.Test;

/** The rollout picture: round ticks with short labels, one image of three panels, a zero error drawn white. */
public class SpaceTimeImageTest {
  @Test
  public void ticksAreRoundAndLabelsShort() {
    assertEquals(SpaceTimeImage.ticks(0, 22, 5), List.of(0.0, 5.0, 10.0, 15.0, 20.0));
    assertEquals(SpaceTimeImage.ticks(0, 50, 6), List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0));
    List<Double> kse = SpaceTimeImage.ticks(-3.0707509032083373, 3.0764590588787, 6);
    assertEquals(kse, List.of(-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0));
    assertEquals(SpaceTimeImage.format(-3.0, kse), "-3");
    List<Double> small = SpaceTimeImage.ticks(-0.0123, 0.0123, 6);
    for (double v : small) {
      assertTrue(SpaceTimeImage.format(v, small).length() <= 7, SpaceTimeImage.format(v, small));
    }
    assertEquals(SpaceTimeImage.format(0.004, small), "0.004");
    List<Double> tiny = SpaceTimeImage.ticks(0, 3.6e-5, 5);
    assertEquals(SpaceTimeImage.format(tiny.get(1), tiny), "5.0e-06");
  }

  @Test
  public void oneImageWithThreePanels() throws IOException {
    int times = 101, n = 64;
    double[][] truth = new double[times][n], predicted = new double[times][n];
    for (int k = 0; k < times; k++) {
      for (int i = 0; i < n; i++) {
        truth[k][i] = Math.sin(2 * Math.PI * i / n - 0.05 * k);
        predicted[k][i] = truth[k][i] + (k > 50 ? 0.3 * Math.cos(2 * Math.PI * i / n) : 0);
      }
    }
    predicted[times - 1][0] = Double.NaN;
    Path file = Files.createTempDirectory("image").resolve("rollout.png");
    SpaceTimeImage.write(file, "test wave", truth, predicted, 0.1, 22, "x (periodic on [0, 22))", "t");
    BufferedImage image = ImageIO.read(file.toFile());
    assertTrue(image.getWidth() > 3 * 380 && image.getHeight() > 440, image.getWidth() + "x" + image.getHeight());
    // the error panel's bottom row (t = 0, no error yet) is white, the colour of 0 on its symmetric scale
    int errorPanelX = 70 + 2 * (380 + 140);
    assertEquals(new Color(image.getRGB(errorPanelX + 100, 70 + 440 - 2)), Color.WHITE);
    assertEquals(SpaceTimeImage.colour(Double.NaN, 0, 1), new Color(150, 150, 150));
  }
}

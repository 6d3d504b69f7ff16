package org.panode.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.panode.data.AtomicFile;

/**
 * The rollout picture: true | predicted | error as space-time maps side by side (space across,
 * time upwards), axes in the problem's units, true and predicted on one colour scale (the true
 * range; predicted values outside it are drawn at its ends), the error on its own scale symmetric
 * about 0, each scale with a few round tick labels. Not-finite values are grey.
 */
final class SpaceTimeImage {
  private static final int PANEL_W = 380, PANEL_H = 440, BAR_W = 16, LEFT = 70, GAP = 140, TOP = 70, BOTTOM = 60;
  private static final Color[] MAP = {new Color(49, 54, 149), new Color(116, 173, 209), Color.WHITE,
      new Color(244, 109, 67), new Color(165, 0, 38)};
  private static final Color NOT_FINITE = new Color(150, 150, 150);
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14), TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);

  private SpaceTimeImage() {}

  /**
   * @param truth rows are times {@code dt} apart (the first at 0), columns the grid points
   * @param length the periodic domain's length (grid point i at x = i * length / n)
   */
  static void write(Path file, String title, double[][] truth, double[][] predicted, double dt, double length,
      String xTitle, String tTitle) throws IOException {
    int times = truth.length, n = truth[0].length;
    double[][] error = new double[times][n];
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, worst = 0;
    for (int k = 0; k < times; k++) {
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, truth[k][i]);
        hi = Math.max(hi, truth[k][i]);
        error[k][i] = predicted[k][i] - truth[k][i];
        if (Double.isFinite(error[k][i])) {
          worst = Math.max(worst, Math.abs(error[k][i]));
        }
      }
    }
    // a diverged rollout would wash the error map out; beyond twice the true range it is drawn at the ends
    double errorMax = Math.max(Math.min(worst, 2 * (hi - lo)), 1e-300);
    int width = LEFT + 3 * (PANEL_W + GAP) + 10, height = TOP + PANEL_H + BOTTOM;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(title, LEFT, 28);
    String[] names = {"true", "predicted (colours as true)", "error (predicted - true)" + (worst > errorMax ? ", clipped" : "")};
    double[][][] maps = {truth, predicted, error};
    double tEnd = (times - 1) * dt;
    for (int p = 0; p < 3; p++) {
      int x0 = LEFT + p * (PANEL_W + GAP);
      double min = p < 2 ? lo : -errorMax, max = p < 2 ? hi : errorMax;
      drawMap(image, maps[p], x0, TOP, min, max);
      g.setFont(TITLE);
      g.setColor(Color.BLACK);
      g.drawString(names[p], x0, TOP - 12);
      g.setFont(FONT);
      g.drawRect(x0, TOP, PANEL_W, PANEL_H);
      axes(g, x0, length, tEnd, xTitle, tTitle);
      if (p >= 1) {
        colourBar(g, x0 + PANEL_W + 12, min, max);
      }
    }
    g.dispose();
    AtomicFile.write(file, out -> ImageIO.write(image, "png", out));
  }

  private static void drawMap(BufferedImage image, double[][] values, int x0, int y0, double min, double max) {
    int times = values.length, n = values[0].length;
    for (int py = 0; py < PANEL_H; py++) {
      int k = Math.min(times - 1, (int) ((PANEL_H - 1 - py) / (double) PANEL_H * times)); // time upwards
      for (int px = 0; px < PANEL_W; px++) {
        int i = Math.min(n - 1, (int) (px / (double) PANEL_W * n));
        image.setRGB(x0 + px, y0 + py, colour(values[k][i], min, max).getRGB());
      }
    }
  }

  static Color colour(double v, double min, double max) {
    if (!Double.isFinite(v)) {
      return NOT_FINITE;
    }
    double s = Math.clamp((v - min) / (max - min), 0, 1) * (MAP.length - 1);
    int a = Math.min((int) s, MAP.length - 2);
    double f = s - a;
    Color c0 = MAP[a], c1 = MAP[a + 1];
    return new Color((int) Math.round(c0.getRed() + f * (c1.getRed() - c0.getRed())),
        (int) Math.round(c0.getGreen() + f * (c1.getGreen() - c0.getGreen())),
        (int) Math.round(c0.getBlue() + f * (c1.getBlue() - c0.getBlue())));
  }

  private static void axes(Graphics2D g, int x0, double length, double tEnd, String xTitle, String tTitle) {
    FontMetrics fm = g.getFontMetrics();
    int yBase = TOP + PANEL_H;
    for (double x : ticks(0, length, 5)) {
      int px = x0 + (int) Math.round(x / length * PANEL_W);
      g.drawLine(px, yBase, px, yBase + 5);
      String label = format(x, ticks(0, length, 5));
      g.drawString(label, px - fm.stringWidth(label) / 2, yBase + 20);
    }
    g.drawString(xTitle, x0 + (PANEL_W - fm.stringWidth(xTitle)) / 2, yBase + 42);
    List<Double> tTicks = ticks(0, tEnd, 6);
    for (double t : tTicks) {
      int py = yBase - (int) Math.round(t / tEnd * PANEL_H);
      g.drawLine(x0 - 5, py, x0, py);
      String label = format(t, tTicks);
      g.drawString(label, x0 - 8 - fm.stringWidth(label), py + 5);
    }
    var saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(tTitle, -(TOP + (PANEL_H + fm.stringWidth(tTitle)) / 2), x0 - 45);
    g.setTransform(saved);
  }

  private static void colourBar(Graphics2D g, int x, double min, double max) {
    for (int py = 0; py < PANEL_H; py++) {
      g.setColor(colour(max - (max - min) * py / (PANEL_H - 1.0), min, max));
      g.drawLine(x, TOP + py, x + BAR_W, TOP + py);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1));
    g.drawRect(x, TOP, BAR_W, PANEL_H);
    List<Double> ticks = ticks(min, max, 6);
    for (double v : ticks) {
      int py = TOP + (int) Math.round((max - v) / (max - min) * PANEL_H);
      g.drawLine(x + BAR_W, py, x + BAR_W + 4, py);
      g.drawString(format(v, ticks), x + BAR_W + 7, py + 5);
    }
  }

  /** Round values (1, 2 or 5 times a power of ten apart) in [lo, hi], at most about {@code count}. */
  static List<Double> ticks(double lo, double hi, int count) {
    double span = hi - lo;
    List<Double> ticks = new ArrayList<>();
    if (!(span > 0) || !Double.isFinite(span)) {
      ticks.add(lo);
      return ticks;
    }
    double raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
    for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return ticks;
  }

  /** A tick label with as many decimals as the ticks' spacing needs (no 16-digit labels). */
  static String format(double v, List<Double> ticks) {
    double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : Math.abs(v);
    if (step > 0 && (step < 1e-3 || step >= 1e5)) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    int decimals = step > 0 ? Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9)) : 0;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}

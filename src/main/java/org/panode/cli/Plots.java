package org.panode.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The paper's figures as PNG charts. */
final class Plots {
  private Plots() {}

  /**
   * One curve per run: training loss against wall time, log scale (the paper's Fig. 4 and 6); with
   * a target, a dashed line at it and, per run that got below it, a marker where it first did,
   * named with that epoch and time.
   */
  static XYChart lossAgainstTime(String title, List<MethodRun> runs, Double target) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("training wall time (s)")
        .yAxisTitle("training loss (epoch mean)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    double end = 0;
    for (MethodRun r : runs) {
      double[] seconds = r.column(1);
      var series = chart.addSeries(String.format(Locale.ROOT, "%s h=%.4g", r.settings.method(), r.settings.step()), seconds,
          r.column(2));
      if (seconds.length > 3) {
        series.setMarker(SeriesMarkers.NONE); // a run of a few slow epochs keeps its markers, or it would not show
      }
      end = Math.max(end, seconds.length == 0 ? 0 : seconds[seconds.length - 1]);
    }
    if (target != null) {
      var line = chart.addSeries(String.format(Locale.ROOT, "target %.1e", target), new double[] {0, end},
          new double[] {target, target});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(Color.DARK_GRAY);
      line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
      for (MethodRun r : runs) {
        if (r.reachedEpoch > 0) {
          double loss = r.rows.get(r.reachedEpoch - (int) r.rows.getFirst()[0])[2];
          var hit = chart.addSeries(String.format(Locale.ROOT, "%s below target at epoch %d, %.1f s", r.settings.method(),
              r.reachedEpoch, r.reachedTarget), new double[] {r.reachedTarget}, new double[] {loss});
          hit.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
          hit.setMarker(SeriesMarkers.DIAMOND);
          hit.setMarkerColor(Color.BLACK);
        }
      }
    }
    return chart;
  }

  /**
   * Predicted (lines) vs true (markers) species against time, one panel per species, log time axis
   * if asked (the paper's Fig. 6 and 8); rows of the states are output times.
   */
  static List<XYChart> species(String title, List<String> names, double[] times, double[][] truth, double[][] predicted,
      boolean logTime, String timeTitle) {
    List<XYChart> charts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      XYChart chart = new XYChartBuilder().width(420).height(280).title(title + " " + names.get(i)).xAxisTitle(timeTitle)
          .yAxisTitle(names.get(i) + " concentration").build();
      chart.getStyler().setXAxisLogarithmic(logTime);
      if (logTime) {
        chart.getStyler().setXAxisDecimalPattern("0E0"); // short labels, one per decade
      }
      chart.getStyler().setLegendVisible(i == 0);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
      double[] y = new double[times.length], p = new double[times.length];
      double largest = 0;
      for (int k = 0; k < times.length; k++) {
        y[k] = truth[k][i];
        p[k] = predicted[k][i];
        largest = Math.max(largest, Math.max(Math.abs(y[k]), Double.isFinite(p[k]) ? Math.abs(p[k]) : 0));
      }
      chart.getStyler().setYAxisDecimalPattern(largest < 1e-2 || largest >= 1e4 ? "0.0E0" : "0.0##");
      chart.addSeries("true", times, y).setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
      chart.addSeries("predicted", times, p).setMarker(SeriesMarkers.NONE);
      charts.add(chart);
    }
    return charts;
  }
}

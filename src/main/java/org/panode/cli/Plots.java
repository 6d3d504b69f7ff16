package org.panode.cli;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The paper's figures as PNG charts. */
final class Plots {
  private Plots() {}

  /** One curve per run: training loss against wall time, log scale (the paper's Fig. 4 and 6). */
  static XYChart lossAgainstTime(String title, List<String> names, List<double[]> seconds, List<double[]> losses) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("wall time (s)")
        .yAxisTitle("training loss").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    for (int i = 0; i < names.size(); i++) {
      var series = chart.addSeries(names.get(i), seconds.get(i), losses.get(i));
      if (seconds.get(i).length > 3) {
        series.setMarker(SeriesMarkers.NONE); // a run of a few slow epochs keeps its markers, or it would not show
      }
    }
    return chart;
  }

  /** A space-time heat map: rows are times, columns grid points (the paper's Fig. 3). */
  static HeatMapChart spaceTime(String title, double[][] states, double dt) {
    int times = states.length, n = states[0].length;
    List<Number> x = new ArrayList<>(), y = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      x.add(i);
    }
    for (int k = 0; k < times; k++) {
      y.add(Math.round(k * dt * 1000) / 1000.0);
    }
    List<Number[]> cells = new ArrayList<>(times * n);
    double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
    for (int k = 0; k < times; k++) {
      for (int i = 0; i < n; i++) {
        double v = states[k][i];
        cells.add(new Number[] {i, k, v});
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(700).height(700).title(title).xAxisTitle("grid point")
        .yAxisTitle("time").build();
    chart.getStyler().setRangeColors(new Color[] {new Color(49, 54, 149), new Color(116, 173, 209), Color.WHITE,
        new Color(244, 109, 67), new Color(165, 0, 38)});
    chart.getStyler().setMin(min);
    chart.getStyler().setMax(max);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setXAxisTicksVisible(false);
    chart.getStyler().setYAxisTicksVisible(false);
    chart.getStyler().setPlotContentSize(1.0);
    chart.addSeries("u", x, y, cells);
    return chart;
  }

  /**
   * Predicted (lines) vs true (markers) species against time, one panel per species, log time axis
   * if asked (the paper's Fig. 6 and 8); rows of the states are output times.
   */
  static List<XYChart> species(String title, List<String> names, double[] times, double[][] truth, double[][] predicted,
      boolean logTime) {
    List<XYChart> charts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      XYChart chart = new XYChartBuilder().width(420).height(280).title(title + " " + names.get(i)).xAxisTitle("t")
          .yAxisTitle(names.get(i)).build();
      chart.getStyler().setXAxisLogarithmic(logTime);
      if (logTime) {
        chart.getStyler().setXAxisDecimalPattern("0E0"); // short labels, one per decade
      }
      chart.getStyler().setLegendVisible(i == 0);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
      double[] y = new double[times.length], p = new double[times.length];
      for (int k = 0; k < times.length; k++) {
        y[k] = truth[k][i];
        p[k] = predicted[k][i];
      }
      chart.addSeries("true", times, y).setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
      chart.addSeries("predicted", times, p).setMarker(SeriesMarkers.NONE);
      charts.add(chart);
    }
    return charts;
  }
}

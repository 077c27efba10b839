package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.config.EarlyStopping.Split;
import io.sparkfit.config.Metric;
import io.sparkfit.guard.Comparison;
import io.sparkfit.guard.DriftTable;
import io.sparkfit.metrics.MetricValues;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.model.Provenance;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code report.html}: how a run went, in one self-contained file that opens offline — per-epoch
 * curves of the loss and every metric (train against validation), epoch timings, the confusion
 * matrix as a heat map, per-class metrics, the config and the provenance. Charts are inline SVG drawn
 * here (axes from {@link ChartAxis}; hover titles give each point's epoch and value; a dashed line
 * marks the epoch early stopping kept); the page needs no script, fonts or network. A few lines of
 * script only mark the page once the browser has laid every chart out, which the test in headless
 * Chromium checks.
 */
final class RunReport {
  public static final String FILE = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int WIDTH = 460;
  private static final int HEIGHT = 240;
  /** Room above the plot for the kept epoch's label, right of it for the last epoch's, below it for ticks and title. */
  private static final int PAD_TOP = 24;
  private static final int PAD_RIGHT = 18;
  private static final int PAD_BOTTOM = 40;
  /** Room left of the value labels for the rotated value title. */
  private static final int VALUE_TITLE_SPACE = 22;
  private static final int TICK_LENGTH = 4;
  /** The widest a character of an 11px label draws (DejaVu Sans digits are 7px), to size margins before the browser lays out. */
  private static final int CHAR_WIDTH = 7;
  private static final String TRAIN_COLOUR = "#1f77b4";
  private static final String VALIDATION_COLOUR = "#d62728";

  private RunReport() {}

  public static String html(RunMetrics metrics, Provenance provenance) {
    return html(metrics, provenance, Optional.empty(), Optional.empty());
  }

  /** With the guards' sections: the drift table and the champion/challenger verdict, when the run had them. */
  public static String html(RunMetrics metrics, Provenance provenance, Optional<DriftTable> drift, Optional<Comparison> gate) {
    TrainingHistory history = metrics.history();
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sparkfit run report</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #ddd;padding:8px}")
        .append(".chart text{font-size:11px;fill:#333}.chart .axis-title{fill:#555}.chart .grid line{stroke:#eee}")
        .append(".chart .axis line{stroke:#999}.chart .kept line{stroke:#2ca02c;stroke-width:1.5;stroke-dasharray:4 3}")
        .append(".chart .kept text{fill:#2ca02c}.chart .pt{stroke:transparent;stroke-width:8px}")
        .append(".chart .pt:hover{r:5px;stroke:rgba(0,0,0,.15)}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("pre{background:#f6f6f6;padding:12px;overflow:auto;max-height:400px}.legend span{margin-right:12px}")
        .append("</style></head><body>\n<h1>Sparkfit run report</h1>\n<p>")
        .append(escape(summary(provenance, metrics)))
        .append("</p>\n<p class=\"legend\"><span style=\"color:#1f77b4\">&#9632; train</span><span style=\"color:#d62728\">&#9632; validation</span></p>\n");

    // The verdict first: it is what a scheduled run's reader looks for.
    gate.ifPresent(g -> out.append(GuardSections.gate(g)));
    out.append("<h2>Metrics per epoch</h2>\n<div class=\"charts\">\n");
    Optional<KeptEpoch> kept = keptEpoch(metrics);
    for (Metric metric : metricsShown(history)) {
      out.append(chart(metric.key(), metric.key(), kept,
          new Series("train " + metric.key(), TRAIN_COLOUR, series(history, Split.TRAIN, metric)),
          new Series("validation " + metric.key(), VALIDATION_COLOUR, series(history, Split.VALIDATION, metric))));
    }
    List<double[]> seconds = history.epochs().stream().map(e -> new double[] {e.epoch(), e.seconds()}).toList();
    out.append(chart("seconds per epoch", "seconds", kept, new Series("seconds", TRAIN_COLOUR, seconds)));
    out.append("</div>\n");

    Optional<MetricValues> validation = history.finalValidation(metrics.keptEpoch());
    Optional<MetricValues> block = validation.or(() -> history.finalTrain(metrics.keptEpoch()));
    String which = validation.isPresent() ? "validation" : "training";
    block.flatMap(MetricValues::confusionMatrix).ifPresent(
        m -> out.append("<h2>Confusion matrix (").append(which).append(", kept model)</h2>\n").append(heatMap(m)));
    block.filter(b -> !b.perClass().isEmpty()).ifPresent(
        b -> out.append("<h2>Per-class metrics (").append(which).append(")</h2>\n").append(perClass(b.perClass())));
    metrics.slices().ifPresent(sliced -> out.append(slices(sliced)));
    metrics.earlyStoppingJson().ifPresent(
        stopping -> out.append("<h2>Early stopping</h2>\n<pre>").append(escape(stopping.toPrettyString())).append("</pre>\n"));
    drift.ifPresent(d -> out.append(GuardSections.drift(d)));
    if (provenance.dataProfile() != null && !provenance.dataProfile().isEmpty()) {
      out.append("<h2>Data profile (training rows)</h2>\n").append(profile(provenance.dataProfile()));
    }
    if (provenance.model().classWeights() != null) {
      out.append("<h2>Class weights</h2>\n<p>").append(escape(provenance.model().classWeights().toString())).append("</p>\n");
    }
    out.append("<h2>Config</h2>\n<pre>").append(escape(provenance.config().toPrettyString())).append("</pre>\n");
    out.append("<h2>Provenance</h2>\n<pre>").append(escape(pretty(provenance.withoutDriftReference()))).append("</pre>\n");
    out.append(
        "<script>window.addEventListener('load',function(){var s=document.querySelectorAll('svg');"
            + "var ok=s.length>0;s.forEach(function(e){var b=e.getBoundingClientRect();if(b.width<=0||b.height<=0){ok=false;}});"
            + "document.body.setAttribute('data-charts',ok?s.length+' rendered':'failed');});</script>\n");
    out.append("</body></html>\n");
    return out.toString();
  }

  private static String summary(Provenance provenance, RunMetrics metrics) {
    return String.format(
        Locale.ROOT,
        "%d epochs, application %s on %s, %s to %s, Sparkfit commit %s.%s",
        metrics.history().epochs().size(),
        provenance.sparkAppId(),
        provenance.sparkMaster(),
        provenance.started(),
        provenance.finished(),
        provenance.gitCommit() == null ? "unknown" : provenance.gitCommit(),
        metrics.earlyStopping().map(e -> " Early stopping kept epoch " + e.bestEpoch() + ".").orElse(""));
  }

  private static String pretty(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Every scalar metric in any epoch's blocks, loss first. */
  private static Set<Metric> metricsShown(TrainingHistory history) {
    Set<Metric> metrics = new LinkedHashSet<>();
    for (EpochResult e : history.epochs()) {
      e.train().scalars().forEach((m, v) -> addIfNumber(metrics, m, v));
      e.validation().ifPresent(block -> block.scalars().forEach((m, v) -> addIfNumber(metrics, m, v)));
    }
    return metrics;
  }

  private static void addIfNumber(Set<Metric> metrics, Metric metric, double value) {
    if (Double.isFinite(value)) {
      metrics.add(metric);
    }
  }

  /** (epoch, value) pairs of one metric of one split, where it is a number. */
  private static List<double[]> series(TrainingHistory history, Split split, Metric metric) {
    List<double[]> points = new ArrayList<>();
    for (EpochResult e : history.epochs()) {
      OptionalDouble value = e.values(split).map(v -> v.scalar(metric)).orElse(OptionalDouble.empty());
      if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
        points.add(new double[] {e.epoch(), value.getAsDouble()});
      }
    }
    return points;
  }

  /** One line of a chart: its name in hover titles, its colour, its (epoch, value) points. */
  private record Series(String name, String colour, List<double[]> points) {}

  /** The epoch whose model was kept, marked on every chart when early stopping chose it; {@code note} is its hover title. */
  private record KeptEpoch(int epoch, String note) {}

  private static Optional<KeptEpoch> keptEpoch(RunMetrics metrics) {
    return metrics.earlyStopping().map(
        e -> new KeptEpoch(
            metrics.keptEpoch(),
            String.format(Locale.ROOT, "kept epoch %d: best %s %.6g; stopped after epoch %d", metrics.keptEpoch(), e.metric(),
                e.bestValue(), e.stoppedAfterEpoch())));
  }

  /**
   * A line chart over epochs: 4–6 ticks per axis at 1/2/5 × 10^k steps ({@link ChartAxis}) with light
   * gridlines, a left margin sized to the widest value label, axis titles, the kept epoch's marker,
   * and a hover title (epoch and value) on every point.
   */
  private static String chart(String title, String valueTitle, Optional<KeptEpoch> kept, Series... lines) {
    List<double[]> all = new ArrayList<>();
    for (Series s : lines) {
      all.addAll(s.points());
    }
    StringBuilder svg = new StringBuilder("<div class=\"chart\"><div>").append(escape(title)).append("</div>");
    svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
        WIDTH, HEIGHT, WIDTH, HEIGHT, escape(title)));
    if (!all.isEmpty()) {
      int firstEpoch = (int) all.stream().mapToDouble(p -> p[0]).min().orElseThrow();
      int lastEpoch = (int) all.stream().mapToDouble(p -> p[0]).max().orElseThrow();
      ChartAxis x = ChartAxis.forEpochs(firstEpoch, lastEpoch);
      ChartAxis y = ChartAxis.forValues(
          all.stream().mapToDouble(p -> p[1]).min().orElseThrow(), all.stream().mapToDouble(p -> p[1]).max().orElseThrow());
      Plot plot = new Plot(x, y, VALUE_TITLE_SPACE + y.widestLabel() * CHAR_WIDTH + TICK_LENGTH + 4, WIDTH - PAD_RIGHT, PAD_TOP,
          HEIGHT - PAD_BOTTOM);
      svg.append("<g class=\"grid\">");
      for (double t : y.ticks()) {
        double py = plot.y(t);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", plot.left(), py, plot.right(), py));
      }
      for (double t : x.ticks()) {
        double px = plot.x(t);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", px, plot.top(), px, plot.bottom()));
      }
      svg.append("</g><g class=\"axis\">");
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
          plot.left(), plot.bottom(), plot.right(), plot.bottom(), plot.left(), plot.top(), plot.left(), plot.bottom()));
      for (double t : y.ticks()) {
        double py = plot.y(t);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", plot.left() - TICK_LENGTH, py, plot.left(), py))
            .append(String.format(Locale.ROOT, "<text class=\"tick tick-y\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                plot.left() - TICK_LENGTH - 3, py + 4, y.label(t)));
      }
      for (double t : x.ticks()) {
        double px = plot.x(t);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", px, plot.bottom(), px, plot.bottom() + TICK_LENGTH))
            .append(String.format(Locale.ROOT, "<text class=\"tick tick-x\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                px, plot.bottom() + 16, x.label(t)));
      }
      svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>",
              (plot.left() + plot.right()) / 2, HEIGHT - 6))
          .append(String.format(Locale.ROOT,
              "<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"%d\" y=\"16\" text-anchor=\"middle\">%s</text>",
              -(plot.top() + plot.bottom()) / 2, escape(valueTitle)));
      svg.append("</g>");
      kept.filter(k -> k.epoch() >= x.min() && k.epoch() <= x.max()).ifPresent(k -> svg.append(keptMarker(k, plot)));
      for (Series s : lines) {
        svg.append(line(s, plot));
      }
    }
    return svg.append("</svg></div>\n").toString();
  }

  /** Where a chart's axes put values on its SVG: the plot area's edges in pixels. */
  private record Plot(ChartAxis xAxis, ChartAxis yAxis, int left, int right, int top, int bottom) {
    double x(double epoch) {
      return xAxis.position(epoch, left, right);
    }

    double y(double value) {
      return yAxis.position(value, bottom, top);
    }
  }

  /** A dashed vertical line at the kept epoch, labelled above the plot (kept inside the SVG near its edges). */
  private static String keptMarker(KeptEpoch kept, Plot plot) {
    double px = plot.x(kept.epoch());
    String label = "kept epoch " + kept.epoch();
    double half = label.length() * CHAR_WIDTH / 2.0;
    double labelX = Math.min(Math.max(px, plot.left() + half), WIDTH - 4 - half);
    return String.format(Locale.ROOT,
        "<g class=\"kept\"><title>%s</title><line class=\"kept-line\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
            + "<text class=\"kept-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text></g>",
        escape(kept.note()), px, plot.top(), px, plot.bottom(), labelX, plot.top() - 8, label);
  }

  private static String line(Series series, Plot plot) {
    if (series.points().isEmpty()) {
      return "";
    }
    StringBuilder coords = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (double[] p : series.points()) {
      double x = plot.x(p[0]);
      double y = plot.y(p[1]);
      coords.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s, epoch %d: %s</title></circle>",
          x, y, series.colour(), escape(series.name()), (int) p[0], hoverValue(p[1])));
    }
    return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>", series.colour(),
        coords.toString().trim()) + dots;
  }

  /** Six significant digits, in plain decimals where they stay short (0.4, 41234.5), else as 2.46e+09. */
  private static String hoverValue(double v) {
    double magnitude = Math.abs(v);
    if (v == 0 || (magnitude >= 1e-4 && magnitude < 1e9)) {
      return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** One row per feature column: kind, type, missing values, then its statistics or vocabulary. */
  private static String profile(List<ColumnSummary> columns) {
    StringBuilder t =
        new StringBuilder(
            "<table class=\"profile\"><tr><th>column</th><th>kind</th><th>type</th><th>missing</th><th>summary</th></tr>");
    for (ColumnSummary c : columns) {
      String detail =
          switch (c.kind()) {
            case "numeric" -> String.format(
                Locale.ROOT, "mean %.4g, std %.4g, min %.4g, max %.4g; missing → %s%s%s", c.mean(), c.std(), c.min(), c.max(),
                c.impute(), c.fill() == null ? "" : String.format(Locale.ROOT, " (%.4g)", c.fill()),
                Boolean.TRUE.equals(c.missingIndicator()) ? ", with a missing indicator" : "");
            case "categorical" -> String.format(
                Locale.ROOT, "%d distinct, vocabulary %d, %d rows to \"other\"; top: %s", c.distinct(), c.vocabulary(), c.otherRows(),
                c.topValues().stream().map(v -> v.value() + " (" + v.count() + ")").collect(java.util.stream.Collectors.joining(", ")));
            default -> "length " + c.length();
          };
      t.append("<tr><td style=\"text-align:left\">").append(escape(c.column())).append("</td><td>").append(c.kind())
          .append("</td><td>").append(escape(c.type())).append("</td><td>").append(c.nulls())
          .append("</td><td style=\"text-align:left\">").append(escape(detail)).append("</td></tr>");
    }
    return t.append("</table>\n").toString();
  }

  /** A weighted confusion matrix ({@code data.weight-column}): sums of weights, shaded as the counts are. */
  private static String weightedHeatMap(MetricValues.ConfusionMatrix matrix) {
    double max = 0;
    for (List<Double> row : matrix.weights()) {
      for (double w : row) {
        max = Math.max(max, w);
      }
    }
    double scale = max > 0 ? max : 1;
    StringBuilder t = new StringBuilder("<table class=\"confusion\"><tr><th>actual \\ predicted (weights)</th>");
    matrix.labels().forEach(l -> t.append("<th>").append(escape(String.valueOf(l))).append("</th>"));
    t.append("</tr>");
    for (int r = 0; r < matrix.weights().size(); r++) {
      t.append("<tr><th>").append(escape(String.valueOf(matrix.labels().get(r)))).append("</th>");
      for (double w : matrix.weights().get(r)) {
        double share = w / scale;
        t.append(String.format(Locale.ROOT, "<td style=\"background:rgba(31,119,180,%.3f);color:%s\">%.6g</td>",
            share, share > 0.6 ? "#fff" : "#222", w));
      }
      t.append("</tr>");
    }
    return t.append("</table>\n").toString();
  }

  private static String heatMap(MetricValues.ConfusionMatrix matrix) {
    if (matrix.isWeighted()) {
      return weightedHeatMap(matrix);
    }
    long max = 1;
    for (List<Long> row : matrix.counts()) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    StringBuilder t = new StringBuilder("<table class=\"confusion\"><tr><th>actual \\ predicted</th>");
    matrix.labels().forEach(l -> t.append("<th>").append(escape(String.valueOf(l))).append("</th>"));
    t.append("</tr>");
    for (int r = 0; r < matrix.counts().size(); r++) {
      t.append("<tr><th>").append(escape(String.valueOf(matrix.labels().get(r)))).append("</th>");
      for (long c : matrix.counts().get(r)) {
        double share = (double) c / max;
        t.append(String.format(Locale.ROOT, "<td style=\"background:rgba(31,119,180,%.3f);color:%s\">%d</td>",
            share, share > 0.6 ? "#fff" : "#222", c));
      }
      t.append("</tr>");
    }
    return t.append("</table>\n").toString();
  }

  private static String perClass(List<MetricValues.ClassValues> perClass) {
    boolean auc = perClass.stream().anyMatch(c -> c.auc().isPresent());
    StringBuilder t = new StringBuilder("<table><tr><th>class</th><th>precision</th><th>recall</th><th>f1</th>");
    boolean weighted = perClass.stream().anyMatch(c -> c.supportWeight().isPresent());
    t.append(auc ? "<th>auc</th>" : "").append("<th>support</th>").append(weighted ? "<th>support weight</th>" : "").append("</tr>");
    for (MetricValues.ClassValues c : perClass) {
      t.append("<tr><th>").append(escape(c.label())).append("</th>");
      t.append(cell(c.precision())).append(cell(c.recall())).append(cell(c.f1()));
      if (auc) {
        t.append(cell(c.auc().orElse(Double.NaN)));
      }
      t.append("<td>").append(c.support()).append("</td>");
      if (weighted) {
        t.append(cell(c.supportWeight().orElse(Double.NaN)));
      }
      t.append("</tr>");
    }
    return t.append("</table>\n").toString();
  }

  /** Per slice column a table: one row per slice, its rows and each metric of the kept model. */
  private static String slices(RunMetrics.Slices sliced) {
    StringBuilder t = new StringBuilder();
    sliced.metrics().byColumn().forEach(
        (column, bySlice) -> {
          Set<Metric> shown = new java.util.LinkedHashSet<>();
          bySlice.values().forEach(b -> shown.addAll(b.scalars().keySet()));
          t.append("<h2>Metrics by slice of ").append(escape(column)).append(" (").append(escape(sliced.rows()))
              .append(", kept model)</h2>\n<table class=\"slices\"><tr><th>").append(escape(column)).append("</th><th>rows</th>");
          shown.forEach(m -> t.append("<th>").append(escape(m.key())).append("</th>"));
          t.append("</tr>");
          bySlice.forEach(
              (slice, block) -> {
                t.append("<tr><th style=\"text-align:left\">").append(escape(slice)).append("</th><td>").append(block.count()).append("</td>");
                shown.forEach(m -> t.append(cell(block.scalar(m).orElse(Double.NaN))));
                t.append("</tr>");
              });
          t.append("</table>\n");
        });
    return t.toString();
  }

  private static String cell(double v) {
    return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–") + "</td>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

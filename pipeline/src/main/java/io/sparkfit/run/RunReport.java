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
 * here; the page needs no script, fonts or network. A few lines of script only mark the page once the
 * browser has laid every chart out, which the test in headless Chromium checks.
 */
final class RunReport {
  public static final String FILE = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int WIDTH = 420;
  private static final int HEIGHT = 220;
  private static final int PAD = 40;

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
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("pre{background:#f6f6f6;padding:12px;overflow:auto;max-height:400px}.legend span{margin-right:12px}")
        .append("</style></head><body>\n<h1>Sparkfit run report</h1>\n<p>")
        .append(escape(summary(provenance, metrics)))
        .append("</p>\n<p class=\"legend\"><span style=\"color:#1f77b4\">&#9632; train</span><span style=\"color:#d62728\">&#9632; validation</span></p>\n");

    // The verdict first: it is what a scheduled run's reader looks for.
    gate.ifPresent(g -> out.append(GuardSections.gate(g)));
    out.append("<h2>Metrics per epoch</h2>\n<div class=\"charts\">\n");
    for (Metric metric : metricsShown(history)) {
      out.append(chart(metric.key(), series(history, Split.TRAIN, metric), series(history, Split.VALIDATION, metric)));
    }
    List<double[]> seconds = history.epochs().stream().map(e -> new double[] {e.epoch(), e.seconds()}).toList();
    out.append(chart("seconds per epoch", seconds, List.of()));
    out.append("</div>\n");

    Optional<MetricValues> validation = history.finalValidation(metrics.keptEpoch());
    Optional<MetricValues> block = validation.or(() -> history.finalTrain(metrics.keptEpoch()));
    String which = validation.isPresent() ? "validation" : "training";
    block.flatMap(MetricValues::confusionMatrix).ifPresent(
        m -> out.append("<h2>Confusion matrix (").append(which).append(", kept model)</h2>\n").append(heatMap(m)));
    block.filter(b -> !b.perClass().isEmpty()).ifPresent(
        b -> out.append("<h2>Per-class metrics (").append(which).append(")</h2>\n").append(perClass(b.perClass())));
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

  private static String chart(String title, List<double[]> train, List<double[]> validation) {
    List<double[]> all = new ArrayList<>(train);
    all.addAll(validation);
    StringBuilder svg = new StringBuilder("<div class=\"chart\"><div>").append(escape(title)).append("</div>");
    svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
        WIDTH, HEIGHT, WIDTH, HEIGHT, escape(title)));
    if (!all.isEmpty()) {
      double minX = all.stream().mapToDouble(p -> p[0]).min().orElse(0);
      double maxX = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
      double minY = all.stream().mapToDouble(p -> p[1]).min().orElse(0);
      double maxY = all.stream().mapToDouble(p -> p[1]).max().orElse(1);
      if (maxX == minX) {
        maxX = minX + 1;
      }
      if (maxY == minY) {
        maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.1);
      }
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
          PAD, HEIGHT - PAD, WIDTH - 10, HEIGHT - PAD, PAD, 10, PAD, HEIGHT - PAD));
      svg.append(label(PAD - 4, 14, maxY, "end")).append(label(PAD - 4, HEIGHT - PAD, minY, "end"));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">epoch %d</text>", PAD, HEIGHT - PAD + 16, (int) minX));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d</text>",
          WIDTH - 10, HEIGHT - PAD + 16, (int) maxX));
      svg.append(line(train, "#1f77b4", minX, maxX, minY, maxY)).append(line(validation, "#d62728", minX, maxX, minY, maxY));
    }
    return svg.append("</svg></div>\n").toString();
  }

  private static String label(int x, int y, double value, String anchor) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%.4g</text>", x, y, anchor, value);
  }

  private static String line(List<double[]> points, String colour, double minX, double maxX, double minY, double maxY) {
    if (points.isEmpty()) {
      return "";
    }
    StringBuilder coords = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (double[] p : points) {
      double x = PAD + (p[0] - minX) / (maxX - minX) * (WIDTH - 10 - PAD);
      double y = HEIGHT - PAD - (p[1] - minY) / (maxY - minY) * (HEIGHT - PAD - 10);
      coords.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>epoch %d: %.6g</title></circle>",
          x, y, colour, (int) p[0], p[1]));
    }
    return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>", colour, coords.toString().trim())
        + dots;
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

  private static String heatMap(MetricValues.ConfusionMatrix matrix) {
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
    t.append(auc ? "<th>auc</th>" : "").append("<th>support</th></tr>");
    for (MetricValues.ClassValues c : perClass) {
      t.append("<tr><th>").append(escape(c.label())).append("</th>");
      t.append(cell(c.precision())).append(cell(c.recall())).append(cell(c.f1()));
      if (auc) {
        t.append(cell(c.auc().orElse(Double.NaN)));
      }
      t.append("<td>").append(c.support()).append("</td></tr>");
    }
    return t.append("</table>\n").toString();
  }

  private static String cell(double v) {
    return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–") + "</td>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

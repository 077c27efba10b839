package io.sparkfit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html}: how a run went, in one self-contained file that opens offline — per-epoch
 * curves of the loss and every metric (train against validation), epoch timings, the confusion
 * matrix as a heat map, per-class metrics, the config and the provenance. Charts are inline SVG drawn
 * here; the page needs no script, fonts or network. A few lines of script only mark the page once the
 * browser has laid every chart out, which the test in headless Chromium checks.
 */
public final class RunReport {
  public static final String FILE = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int WIDTH = 420;
  private static final int HEIGHT = 220;
  private static final int PAD = 40;

  private RunReport() {}

  public static String html(Map<String, Object> metrics, Provenance provenance) {
    JsonNode m = JSON.valueToTree(metrics);
    JsonNode epochs = m.get("epochs");
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sparkfit run report</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #ddd;padding:8px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("pre{background:#f6f6f6;padding:12px;overflow:auto;max-height:400px}.legend span{margin-right:12px}")
        .append("</style></head><body>\n<h1>Sparkfit run report</h1>\n<p>")
        .append(escape(summary(provenance, epochs, m)))
        .append("</p>\n<p class=\"legend\"><span style=\"color:#1f77b4\">&#9632; train</span><span style=\"color:#d62728\">&#9632; validation</span></p>\n");

    out.append("<h2>Metrics per epoch</h2>\n<div class=\"charts\">\n");
    for (String name : metricNames(epochs)) {
      out.append(chart(name, series(epochs, "train", name), series(epochs, "validation", name)));
    }
    out.append(chart("seconds per epoch", series(epochs, null, "seconds"), List.of()));
    out.append("</div>\n");

    JsonNode last = m.path("final");
    JsonNode block = last.has("validation") ? last.get("validation") : last.path("train");
    String which = last.has("validation") ? "validation" : "training";
    if (block.has("confusion-matrix")) {
      out.append("<h2>Confusion matrix (").append(which).append(", kept model)</h2>\n").append(heatMap(block.get("confusion-matrix")));
    }
    if (block.has("per-class")) {
      out.append("<h2>Per-class metrics (").append(which).append(")</h2>\n").append(perClass(block.get("per-class")));
    }
    if (m.has("early-stopping")) {
      out.append("<h2>Early stopping</h2>\n<pre>").append(escape(m.get("early-stopping").toPrettyString())).append("</pre>\n");
    }
    out.append("<h2>Config</h2>\n<pre>").append(escape(provenance.config().toPrettyString())).append("</pre>\n");
    out.append("<h2>Provenance</h2>\n<pre>").append(escape(pretty(provenance))).append("</pre>\n");
    out.append(
        "<script>window.addEventListener('load',function(){var s=document.querySelectorAll('svg');"
            + "var ok=s.length>0;s.forEach(function(e){var b=e.getBoundingClientRect();if(b.width<=0||b.height<=0){ok=false;}});"
            + "document.body.setAttribute('data-charts',ok?s.length+' rendered':'failed');});</script>\n");
    out.append("</body></html>\n");
    return out.toString();
  }

  private static String summary(Provenance provenance, JsonNode epochs, JsonNode m) {
    return String.format(
        Locale.ROOT,
        "%d epochs, application %s on %s, %s to %s, Sparkfit commit %s.%s",
        epochs.size(),
        provenance.sparkAppId(),
        provenance.sparkMaster(),
        provenance.started(),
        provenance.finished(),
        provenance.gitCommit() == null ? "unknown" : provenance.gitCommit(),
        m.has("early-stopping") ? " Early stopping kept epoch " + m.at("/early-stopping/best-epoch").asInt() + "." : "");
  }

  private static String pretty(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Every scalar metric in any epoch's blocks, loss first. */
  private static Set<String> metricNames(JsonNode epochs) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode e : epochs) {
      for (String split : List.of("train", "validation")) {
        e.path(split).fields().forEachRemaining(f -> {
          if (f.getValue().isNumber() && !f.getKey().equals("count")) {
            names.add(f.getKey());
          }
        });
      }
    }
    return names;
  }

  /** (epoch, value) pairs of one metric; {@code split} null reads the epoch entry itself. */
  private static List<double[]> series(JsonNode epochs, String split, String name) {
    List<double[]> points = new ArrayList<>();
    for (JsonNode e : epochs) {
      JsonNode value = split == null ? e.get(name) : e.path(split).get(name);
      if (value != null && value.isNumber()) {
        points.add(new double[] {e.get("epoch").asDouble(), value.asDouble()});
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

  private static String heatMap(JsonNode matrix) {
    JsonNode labels = matrix.get("labels");
    JsonNode counts = matrix.get("counts");
    long max = 1;
    for (JsonNode row : counts) {
      for (JsonNode c : row) {
        max = Math.max(max, c.asLong());
      }
    }
    StringBuilder t = new StringBuilder("<table class=\"confusion\"><tr><th>actual \\ predicted</th>");
    labels.forEach(l -> t.append("<th>").append(escape(l.asText())).append("</th>"));
    t.append("</tr>");
    for (int r = 0; r < counts.size(); r++) {
      t.append("<tr><th>").append(escape(labels.get(r).asText())).append("</th>");
      for (JsonNode c : counts.get(r)) {
        double share = (double) c.asLong() / max;
        t.append(String.format(Locale.ROOT, "<td style=\"background:rgba(31,119,180,%.3f);color:%s\">%d</td>",
            share, share > 0.6 ? "#fff" : "#222", c.asLong()));
      }
      t.append("</tr>");
    }
    return t.append("</table>\n").toString();
  }

  private static String perClass(JsonNode perClass) {
    List<String> columns = new ArrayList<>();
    perClass.elements().next().fieldNames().forEachRemaining(columns::add);
    StringBuilder t = new StringBuilder("<table><tr><th>class</th>");
    columns.forEach(c -> t.append("<th>").append(escape(c)).append("</th>"));
    t.append("</tr>");
    perClass.fields().forEachRemaining(f -> {
      t.append("<tr><th>").append(escape(f.getKey())).append("</th>");
      for (String c : columns) {
        JsonNode v = f.getValue().get(c);
        t.append("<td>").append(v == null || v.isNull() ? "–" : v.isIntegralNumber() ? v.asText() : String.format(Locale.ROOT, "%.4f", v.asDouble()))
            .append("</td>");
      }
      t.append("</tr>");
    });
    return t.append("</table>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

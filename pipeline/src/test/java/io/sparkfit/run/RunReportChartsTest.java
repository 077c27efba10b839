package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.Metric;
import io.sparkfit.metrics.MetricValues;
import io.sparkfit.model.Provenance;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts of {@code report.html} as a reader sees them, in headless Chromium, without Spark (the
 * report is drawn from constructed {@link RunMetrics} and {@link Provenance}). A measuring script,
 * added to a copy of the page, records every SVG text's box as the browser laid it out; a screenshot
 * of the same page at the same size shows the pixels. Checked: no text outside its chart, 4–6 ticks at
 * 1/2/5 × 10^k steps on each axis (whole epochs on x; a run of fewer than 4 epochs gets one tick per
 * epoch), axis titles, the kept epoch's marker where early stopping kept one, a hover title on every
 * point, and no glyph touching a chart's left edge.
 */
class RunReportChartsTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WINDOW_WIDTH = 1400;
  private static final int WINDOW_HEIGHT = 1600;
  /** Every SVG's box, each of its texts (content, class, box) and its points' hover titles, as base64 JSON. */
  private static final String MEASURE =
      "<script>window.addEventListener('load',function(){function box(e){var r=e.getBoundingClientRect();"
          + "return [r.left,r.top,r.right,r.bottom];}var out=[];document.querySelectorAll('svg').forEach(function(svg){"
          + "var c={label:svg.getAttribute('aria-label'),box:box(svg),texts:[],markers:[],titles:[]};"
          + "svg.querySelectorAll('text').forEach(function(t){c.texts.push({text:t.textContent,cls:t.getAttribute('class')||'',box:box(t)});});"
          + "svg.querySelectorAll('.kept-line').forEach(function(m){c.markers.push(box(m));});"
          + "svg.querySelectorAll('circle > title').forEach(function(t){c.titles.push(t.textContent);});out.push(c);});"
          + "document.body.setAttribute('data-layout',btoa(unescape(encodeURIComponent(JSON.stringify(out)))));});</script>";

  @TempDir Path tmp;

  /** Twelve epochs of a regression on unscaled prices: MSE in the billions, R² below zero at first. */
  private static List<EpochResult> regression() {
    List<EpochResult> epochs = new ArrayList<>();
    for (int e = 1; e <= 12; e++) {
      double trainLoss = 0.25 + 0.9 * Math.exp(-0.3 * e);
      double validationLoss = 0.3 + 0.8 * Math.exp(-0.35 * e) + 0.004 * (e - 8) * (e - 8);
      epochs.add(
          new EpochResult(
              e, 1.2 + 0.05 * e, 1.0 + 0.05 * e, regressionBlock(trainLoss, 800), Optional.of(regressionBlock(validationLoss, 200))));
    }
    return epochs;
  }

  private static MetricValues regressionBlock(double loss, long count) {
    Map<Metric, Double> scalars = new LinkedHashMap<>();
    scalars.put(Metric.LOSS, loss);
    scalars.put(Metric.MSE, 4.1e9 * loss);
    scalars.put(Metric.RMSE, Math.sqrt(4.1e9 * loss));
    scalars.put(Metric.R2, 1 - 1.6 * loss);
    return new MetricValues(scalars, count, List.of(), Optional.empty());
  }

  /** Three epochs of a classification whose training accuracy stays at 1. */
  private static List<EpochResult> shortClassification() {
    List<EpochResult> epochs = new ArrayList<>();
    for (int e = 1; e <= 3; e++) {
      Map<Metric, Double> scalars = new LinkedHashMap<>();
      scalars.put(Metric.LOSS, 0.05 / e);
      scalars.put(Metric.ACCURACY, 1.0);
      epochs.add(new EpochResult(e, 0.4, new MetricValues(scalars, 50, List.of(), Optional.empty()), Optional.empty()));
    }
    return epochs;
  }

  private static Provenance provenance(String task) {
    return new Provenance(
        JSON.createObjectNode().put("task", task),
        Map.of("data.train", new Provenance.Input("/data/houses", 1000, 0, 1000, null, null)),
        null,
        new Provenance.ModelSummary(task, List.of("rooms", "area"), 2, null, "standard", 321, null),
        Map.of("java", "17"),
        "0123abc",
        "local-1",
        "local[2]",
        "2026-12-02T10:00:00Z",
        "2026-12-02T10:05:00Z",
        null);
  }

  @Test
  void chartsUnderEarlyStoppingHaveReadableAxesAndMarkTheKeptEpoch() throws Exception {
    TrainingHistory history = new TrainingHistory(regression());
    EpochResult best =
        history.epochs().stream()
            .min((a, b) -> Double.compare(a.validation().orElseThrow().scalar(Metric.LOSS).getAsDouble(),
                b.validation().orElseThrow().scalar(Metric.LOSS).getAsDouble()))
            .orElseThrow();
    assertThat(best.epoch()).as("the fixture's best epoch is an earlier one").isLessThan(history.lastEpoch());
    RunMetrics metrics =
        new RunMetrics(
            history,
            best.epoch(),
            Optional.of(
                new RunMetrics.EarlyStoppingOutcome(
                    "validation.loss", best.epoch(), best.validation().orElseThrow().scalar(Metric.LOSS).getAsDouble(),
                    history.lastEpoch(), true)));

    Rendered page = render(RunReport.html(metrics, provenance("regression")));

    // loss, mse, rmse, r2 and seconds per epoch.
    assertThat(page.charts()).hasSize(5);
    for (JsonNode chart : page.charts()) {
      assertReadable(chart, history.epochs().size());
      assertThat(chart.path("markers")).as("kept-epoch marker in %s", chart.path("label")).hasSize(1);
      assertMarkerAt(chart, best.epoch());
      assertThat(texts(chart, "kept-label")).singleElement().asString().contains("kept epoch " + best.epoch());
    }
    JsonNode loss = page.chart("loss");
    assertThat(loss.path("titles")).as("a hover title on each train and validation point").hasSize(2 * history.epochs().size());
    for (int i = 0; i < history.epochs().size(); i++) {
      EpochResult epoch = history.epochs().get(i);
      assertHover(loss.path("titles").get(i).asText(), "train loss, epoch " + epoch.epoch() + ": ", epoch.train().scalar(Metric.LOSS).getAsDouble());
    }
    JsonNode mse = page.chart("mse");
    EpochResult last = history.epochs().get(history.epochs().size() - 1);
    assertHover(mse.path("titles").get(2 * history.epochs().size() - 1).asText(), "validation mse, epoch " + last.epoch() + ": ",
        last.validation().orElseThrow().scalar(Metric.MSE).getAsDouble());
    page.assertPixels();
  }

  @Test
  void aShortRunWithoutEarlyStoppingHasOneTickPerEpochAndNoMarker() throws Exception {
    TrainingHistory history = new TrainingHistory(shortClassification());
    Rendered page = render(RunReport.html(new RunMetrics(history, history.lastEpoch(), Optional.empty()), provenance("classification")));

    assertThat(page.charts()).hasSize(3);
    for (JsonNode chart : page.charts()) {
      assertReadable(chart, history.epochs().size());
      assertThat(chart.path("markers")).isEmpty();
      assertThat(texts(chart, "kept-label")).isEmpty();
    }
    page.assertPixels();
  }

  /** A point's hover title names its series and epoch, and its value to six significant digits. */
  private static void assertHover(String title, String prefix, double value) {
    assertThat(title).startsWith(prefix);
    assertThat(Double.parseDouble(title.substring(prefix.length()))).as(title).isCloseTo(value, offset(Math.abs(value) * 1e-5));
  }

  /** Every text inside its SVG; both axes ticked at nice steps with room between labels; both titled. */
  private static void assertReadable(JsonNode chart, int epochs) {
    String name = chart.path("label").asText();
    double[] svg = box(chart.path("box"));
    for (JsonNode text : chart.path("texts")) {
      double[] t = box(text.path("box"));
      assertThat(t[0] >= svg[0] - 0.5 && t[1] >= svg[1] - 0.5 && t[2] <= svg[2] + 0.5 && t[3] <= svg[3] + 0.5)
          .as("text '%s' at %s inside chart '%s' at %s", text.path("text").asText(), text.path("box"), name, chart.path("box"))
          .isTrue();
      assertThat(t[2] - t[0]).as("text '%s' has a size", text.path("text").asText()).isPositive();
    }

    List<JsonNode> ys = nodes(chart, "tick-y");
    assertThat(ys).as("y ticks of %s", name).hasSizeBetween(4, 6);
    List<Double> yValues = ys.stream().map(t -> Double.parseDouble(t.path("text").asText())).toList();
    assertNiceSteps(yValues, name + " y");
    for (int i = 1; i < ys.size(); i++) {
      // Values go up the axis, and neighbouring labels do not overlap.
      assertThat(yValues.get(i)).isGreaterThan(yValues.get(i - 1));
      assertThat(box(ys.get(i).path("box"))[3]).as("%s y label %s above %s", name, yValues.get(i), yValues.get(i - 1))
          .isLessThanOrEqualTo(box(ys.get(i - 1).path("box"))[1]);
    }

    List<JsonNode> xs = nodes(chart, "tick-x");
    List<Double> xValues = xs.stream().map(t -> Double.parseDouble(t.path("text").asText())).toList();
    if (epochs >= 4) {
      assertThat(xs).as("x ticks of %s", name).hasSizeBetween(4, 6);
      assertNiceSteps(xValues, name + " x");
    } else {
      assertThat(xValues).as("one x tick per epoch of a short run").hasSize(epochs);
    }
    assertThat(xValues).allSatisfy(v -> assertThat(v).isEqualTo(Math.rint(v)));
    for (int i = 1; i < xs.size(); i++) {
      assertThat(box(xs.get(i).path("box"))[0]).as("%s x label %s right of %s", name, xValues.get(i), xValues.get(i - 1))
          .isGreaterThan(box(xs.get(i - 1).path("box"))[2]);
    }
    assertThat(texts(chart, "axis-title")).as("axis titles of %s", name).hasSize(2).contains("epoch");
  }

  /** Equal steps of 1, 2 or 5 × 10^k, with every label a multiple of the step. */
  private static void assertNiceSteps(List<Double> values, String axis) {
    double step = values.get(1) - values.get(0);
    double exponent = Math.floor(Math.log10(step) + 1e-9);
    double mantissa = step / Math.pow(10, exponent);
    assertThat(List.of(1L, 2L, 5L)).as("%s step %s", axis, step).contains(Math.round(mantissa));
    assertThat(Math.abs(mantissa - Math.round(mantissa))).as("%s step %s", axis, step).isLessThan(1e-6);
    for (int i = 1; i < values.size(); i++) {
      assertThat(values.get(i) - values.get(i - 1)).as("%s step %d", axis, i).isCloseTo(step, offset(step * 1e-6));
    }
    for (double v : values) {
      assertThat(Math.abs(v / step - Math.rint(v / step))).as("%s label %s on the step grid", axis, v).isLessThan(1e-6);
    }
  }

  /** The marker line stands where the x ticks place {@code epoch}. */
  private static void assertMarkerAt(JsonNode chart, int epoch) {
    List<JsonNode> xs = nodes(chart, "tick-x");
    double v0 = xs.get(0).path("text").asDouble();
    double v1 = xs.get(xs.size() - 1).path("text").asDouble();
    double c0 = centre(box(xs.get(0).path("box")));
    double c1 = centre(box(xs.get(xs.size() - 1).path("box")));
    double expected = c0 + (epoch - v0) / (v1 - v0) * (c1 - c0);
    assertThat(centre(box(chart.path("markers").get(0)))).as("marker of %s", chart.path("label")).isCloseTo(expected,
        offset(1.5));
  }

  private static double centre(double[] b) {
    return (b[0] + b[2]) / 2;
  }

  private static List<JsonNode> nodes(JsonNode chart, String cls) {
    List<JsonNode> found = new ArrayList<>();
    chart.path("texts").forEach(t -> {
      if (List.of(t.path("cls").asText().split(" ")).contains(cls)) {
        found.add(t);
      }
    });
    return found;
  }

  private static List<String> texts(JsonNode chart, String cls) {
    return nodes(chart, cls).stream().map(t -> t.path("text").asText()).toList();
  }

  private static double[] box(JsonNode b) {
    return new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()};
  }

  private Rendered render(String html) throws Exception {
    assertThat(html).doesNotContain("http://", "https://", "<link", "src=");
    assertThat(CHROMIUM).as("Chromium (installed by .ci/run)").isExecutable();
    Path page = tmp.resolve("report.html");
    Files.writeString(page, html.replace("</body>", MEASURE + "</body>"));
    Process dump = chromium(page, "--dump-dom");
    String dom = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(dump.waitFor(2, TimeUnit.MINUTES)).isTrue();
    int at = dom.indexOf("data-layout=\"");
    assertThat(at).as("the measuring script ran").isPositive();
    String encoded = dom.substring(at + "data-layout=\"".length(), dom.indexOf('"', at + "data-layout=\"".length()));
    JsonNode charts = JSON.readTree(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));

    Path png = tmp.resolve("report.png");
    Process shot = chromium(page, "--screenshot=" + png);
    shot.getInputStream().readAllBytes();
    assertThat(shot.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(png).exists();
    return new Rendered(charts, ImageIO.read(png.toFile()));
  }

  private Process chromium(Path page, String action) throws Exception {
    return new ProcessBuilder(
            CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            "--force-device-scale-factor=1", "--window-size=" + WINDOW_WIDTH + "," + WINDOW_HEIGHT,
            "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=5000", action, page.toUri().toString())
        .redirectError(tmp.resolve("chromium.log").toFile())
        .start();
  }

  private record Rendered(JsonNode layout, BufferedImage png) {
    List<JsonNode> charts() {
      List<JsonNode> charts = new ArrayList<>();
      layout.forEach(charts::add);
      return charts;
    }

    JsonNode chart(String label) {
      return charts().stream().filter(c -> c.path("label").asText().equals(label)).findFirst().orElseThrow();
    }

    /** Text pixels in every chart, none in its two leftmost pixel columns. */
    void assertPixels() {
      assertThat(png.getWidth()).isEqualTo(WINDOW_WIDTH);
      for (JsonNode chart : charts()) {
        double[] b = box(chart.path("box"));
        String name = chart.path("label").asText();
        int left = (int) Math.ceil(b[0]);
        int top = (int) Math.ceil(b[1]);
        int right = (int) Math.floor(b[2]);
        int bottom = (int) Math.floor(b[3]);
        assertThat(bottom).as("chart %s on the screenshot", name).isLessThan(png.getHeight());
        long dark = 0;
        for (int y = top; y < bottom; y++) {
          for (int x = left; x < right; x++) {
            if (isDark(png.getRGB(x, y))) {
              dark++;
              assertThat(x - left).as("dark pixel of chart %s at (%d, %d), against its left edge", name, x, y).isGreaterThanOrEqualTo(2);
            }
          }
        }
        assertThat(dark).as("text pixels in chart %s", name).isGreaterThan(200);
      }
    }

    private static boolean isDark(int rgb) {
      int r = (rgb >> 16) & 0xff;
      int g = (rgb >> 8) & 0xff;
      int bl = rgb & 0xff;
      return 0.299 * r + 0.587 * g + 0.114 * bl < 110;
    }
  }
}

package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report.html} opens offline in a real browser: headless Chromium loads it from a file with
 * the network off, lays out every chart (the page marks itself once each SVG has a size), and shows
 * the confusion matrix, per-class metrics, config and provenance. {@code .ci/run} installs Chromium.
 */
class RunReportTest extends SharedSparkSession {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  @TempDir Path tmp;

  @Test
  void theReportRendersInHeadlessChromium() throws Exception {
    Path out = tmp.resolve("model");
    TrainingRun.run(
        spark,
        ConfigLoader.load(
            Repo.conf("quickstart.conf"),
            List.of("data.train=" + Repo.dataSamples().resolve("customers"), "output.dir=" + out, "training.epochs=3")));
    Path report = out.resolve(RunReport.FILE);
    String html = Files.readString(report);
    assertThat(html).doesNotContain("http://", "https://");

    assertThat(CHROMIUM).as("Chromium (installed by .ci/run)").isExecutable();
    Process chromium =
        new ProcessBuilder(
                CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=5000", "--dump-dom",
                report.toUri().toString())
            .redirectError(tmp.resolve("chromium.log").toFile())
            .start();
    String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(chromium.waitFor(2, TimeUnit.MINUTES)).isTrue();

    // loss, accuracy, f1, auc (train loss only in validation mode, the rest validation) and seconds.
    assertThat(dom).contains("data-charts=\"5 rendered\"");
    assertThat(dom).contains("Confusion matrix (validation, kept model)", ">bronze<", ">gold<", ">silver<");
    assertThat(dom).contains("Per-class metrics", "Provenance", "Config", "customers");
  }
}

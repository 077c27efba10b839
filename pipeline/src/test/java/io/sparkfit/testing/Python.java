package io.sparkfit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with Debian's {@code /usr/bin/python3}, whose scipy and scikit-learn
 * ({@code python3-scipy}, {@code python3-sklearn}) {@code bin/test} installs: the reference
 * implementations Sparkfit's statistics are checked against.
 */
public final class Python {
  public static final String PYTHON = "/usr/bin/python3";

  private Python() {}

  /** Runs {@code script} with {@code stdin} as its standard input; returns its standard output, or fails with it. */
  public static String run(String script, String stdin) throws IOException, InterruptedException {
    return output(new ProcessBuilder(PYTHON, "-c", script), stdin);
  }

  /**
   * scikit-learn's metrics of {@code csv} (the rows {@code io/sparkfit/metrics/weighted_metrics.py}
   * reads: weight, label, then the predictions), with {@code sample_weight}: one value per metric name.
   */
  public static Map<String, Double> weightedMetrics(CharSequence csv, String task, int classes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sparkfit-sklearn");
    try {
      Path rows = Files.writeString(dir.resolve("rows.csv"), csv);
      Path script = dir.resolve("weighted_metrics.py");
      try (InputStream in = Python.class.getClassLoader().getResourceAsStream("io/sparkfit/metrics/weighted_metrics.py")) {
        Files.write(script, in.readAllBytes());
      }
      String output = output(new ProcessBuilder(PYTHON, script.toString(), rows.toString(), task, String.valueOf(classes)), "");
      Map<String, Double> values = new HashMap<>();
      for (String line : output.strip().split("\n")) {
        String[] parts = line.split(" ");
        if (parts.length == 2) {
          values.put(parts[0], Double.parseDouble(parts[1]));
        }
      }
      return values;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static String output(ProcessBuilder command, String stdin) throws IOException, InterruptedException {
    Process python = command.redirectErrorStream(true).start();
    python.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    python.getOutputStream().close();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(2, TimeUnit.MINUTES) || python.exitValue() != 0) {
      throw new IllegalStateException(PYTHON + " (with scipy and scikit-learn) failed: " + output);
    }
    return output;
  }
}

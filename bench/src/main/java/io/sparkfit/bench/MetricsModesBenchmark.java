package io.sparkfit.bench;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.Task;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.run.EpochResult;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.run.TrainingSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seconds per epoch in the metric modes {@code fast}, {@code validation} and {@code full}, on the same
 * data in one run, reported as ratios to {@code fast}; and the size of the metric state one task ships.
 *
 * <p>Arguments: {@code [--size N] [--epochs N] [--rounds N]}: N×8,000 training rows, epochs per run
 * (the first is left out of the timing), and rounds of the three modes, interleaved so that drift on
 * the machine hits every mode alike. With more than one round the first is a warm-up and not counted.
 */
public final class MetricsModesBenchmark {
  /** The metric modes; a "-pass" mode validates in a Spark job of its own instead of inside the training stage. */
  private static final List<String> MODES = List.of("fast", "validation", "full", "validation-pass", "full-pass");
  private static final String NAMES = "[accuracy, f1, auc, confusion-matrix]";

  public static void main(String[] args) throws IOException {
    Map<String, Integer> opts = options(args);
    int rows = 8000 * opts.getOrDefault("size", 1);
    int epochs = opts.getOrDefault("epochs", 4);
    int rounds = opts.getOrDefault("rounds", 2);
    Path work = Path.of("bench/work/metrics-modes").toAbsolutePath();
    Files.createDirectories(work);

    LoadedConfig base = config(work, "fast", epochs);
    SparkSession spark = SparkSessions.create(base.config().spark());
    try {
      BenchData.write(spark, work.resolve("data").toString(), rows, 7);
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      Map<String, Double> accuracy = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (String mode : MODES) {
          System.setProperty(TrainingRun.SEPARATE_VALIDATION_PASS, String.valueOf(mode.endsWith("-pass")));
          TrainingSummary summary = TrainingRun.run(spark, config(work, mode, epochs));
          System.clearProperty(TrainingRun.SEPARATE_VALIDATION_PASS);
          // The first round warms the JVM up for whichever mode runs first: it is left out.
          if (round > 0 || rounds == 1) {
            for (EpochResult e : summary.epochs().subList(1, summary.epochs().size())) {
              seconds.computeIfAbsent(mode, m -> new ArrayList<>()).add(e.seconds());
            }
          }
          accuracy.put(mode, finalAccuracy(work.resolve("out-" + mode)));
        }
      }
      report(work, rows, epochs, rounds, seconds, accuracy);
    } finally {
      SparkSessions.stop(spark);
    }
  }

  private static LoadedConfig config(Path work, String mode, int epochs) {
    String data = work.resolve("data").toString();
    return ConfigLoader.parse(
        String.format(
            Locale.ROOT,
            """
            data { train = "%s/train", validation = "%s/validation", features = [pixels], label = digit }
            model { layers = [ { type = dense, units = 128, activation = relu } ], updater { type = adam, learning-rate = 0.001 } }
            training { epochs = %d, batch-size-per-worker = 64, averaging-frequency = 5 }
            metrics { mode = %s, names = %s }
            output { dir = "%s/out-%s", overwrite = true }
            spark { master = "local[2]", conf { "spark.ui.enabled" = false } }
            """,
            data, data, epochs, mode.replace("-pass", ""), NAMES, work, mode),
        List.of());
  }

  private static double finalAccuracy(Path out) throws IOException {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    var v = json.at("/final/validation/accuracy");
    return v.isMissingNode() ? Double.NaN : v.asDouble();
  }

  /** The metric state of one task of 1,000 validation examples with every classification metric, serialized. */
  private static int stateBytes() throws IOException {
    Evaluator evaluator =
        Evaluator.of(
            new MetricsConfig(MetricsConfig.Mode.FULL, io.sparkfit.config.Metric.forTask(io.sparkfit.config.Task.CLASSIFICATION), 1, 1000, 5, java.util.List.of(), 10),
            Task.CLASSIFICATION,
            BenchData.CLASSES,
            0,
            1);
    Random random = new Random(1);
    float[][] p = new float[1000][BenchData.CLASSES];
    float[][] y = new float[1000][BenchData.CLASSES];
    for (int i = 0; i < 1000; i++) {
      double sum = 0;
      for (int c = 0; c < BenchData.CLASSES; c++) {
        p[i][c] = (float) Math.exp(3 * random.nextGaussian());
        sum += p[i][c];
      }
      for (int c = 0; c < BenchData.CLASSES; c++) {
        p[i][c] /= (float) sum;
      }
      y[i][random.nextInt(BenchData.CLASSES)] = 1;
    }
    MetricSet state = io.sparkfit.nd4j.NetworkOutputs.evaluate(evaluator, Nd4j.create(p), Nd4j.create(y));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    return bytes.size();
  }

  private static void report(
      Path work, int rows, int epochs, int rounds, Map<String, List<Double>> seconds, Map<String, Double> accuracy)
      throws IOException {
    double fast = median(seconds.get("fast"));
    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "Metric modes: %d training rows x %d features, %d classes, %d epochs x %d rounds, local[2], %d cores%n",
        rows, BenchData.WIDTH, BenchData.CLASSES, epochs, rounds, cores));
    table.append(String.format(Locale.ROOT, "%-16s %12s %10s %14s%n", "mode", "s/epoch", "vs fast", "val accuracy"));
    StringBuilder csv = new StringBuilder("mode,seconds_per_epoch,ratio_to_fast,validation_accuracy,rows,epochs,rounds,cores\n");
    for (String mode : MODES) {
      double s = median(seconds.get(mode));
      table.append(String.format(Locale.ROOT, "%-16s %12.3f %9.2fx %14s%n", mode, s, s / fast,
          Double.isNaN(accuracy.get(mode)) ? "-" : String.format(Locale.ROOT, "%.4f", accuracy.get(mode))));
      csv.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%s,%d,%d,%d,%d%n", mode, s, s / fast,
          Double.isNaN(accuracy.get(mode)) ? "" : String.format(Locale.ROOT, "%.4f", accuracy.get(mode)), rows, epochs, rounds, cores));
    }
    int bytes = stateBytes();
    table.append(String.format(Locale.ROOT, "metric state per task, every classification metric, 10 classes, 1000 AUC bins: %.1f KiB%n", bytes / 1024.0));
    System.out.print(table);
    BenchResults.write("metrics-modes", csv.toString());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static Map<String, Integer> options(String[] args) {
    Map<String, Integer> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Unknown argument " + args[i] + " (expected --size N, --epochs N or --rounds N)");
      }
      opts.put(args[i].substring(2), Integer.parseInt(args[i + 1]));
    }
    return opts;
  }
}

package io.sparkfit.bench;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.Metric;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.run.EpochResult;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.run.TrainingSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Time to accuracy on real digits kept outside the repository: how many seconds of training each
 * system needs to reach the test accuracy that DL4J's {@code fit} on one machine reaches after
 * {@code --epochs} epochs (10). Systems: that one-machine {@code fit} (one thread, the same minibatches
 * and network), Sparkfit on one worker ({@code local[1]}) and two ({@code local[2]}), DL4J's Spark
 * module through Sparkfit's {@code training.engine = dl4j} (two workers), and, for the MLP, Spark
 * MLlib's {@code MultilayerPerceptronClassifier}. Seconds are training time only: the validation
 * pass that measures each epoch's test accuracy is not counted, for any system.
 *
 * <p>{@code --study} adds the two-worker variants of the statistical-efficiency study: updater state
 * averaged, kept local or reset; averaging every 5 or 20 minibatches; learning rate as configured or
 * doubled. {@code --exchange-study} adds ring and star, each with and without overlap;
 * {@code --warmup-study} 2, 4 and 8 workers with a learning-rate warm-up of 0, 1 and 2 epochs (epochs
 * to the target only: more workers than cores say nothing about seconds). {@code --no-baselines}
 * leaves out Sparkfit on one worker, DL4J's Spark module and MLlib. {@code --variants
 * "name=key=value,key=value;..."} adds two-worker runs of any settings.
 *
 * <p>Usage: {@code TimeToAccuracyBenchmark DIGITS_DIR mlp|cnn|cnn-json [--epochs N] [--max-epochs N]
 * [--study] [--exchange-study] [--warmup-study] [--no-baselines]}: {@code --epochs} is one machine's
 * epochs, whose test accuracy is the target (10; 3 for the CNN JSON as the issue states it); results
 * in {@code bench/results/time-to-accuracy-DATE.csv} (appended).
 */
public final class TimeToAccuracyBenchmark {
  private TimeToAccuracyBenchmark() {}

  /**
   * One system's run: fitting seconds (validation not counted), wall seconds (validation counted) and
   * test accuracy after each epoch.
   */
  record Run(String system, String variant, List<Double> seconds, List<Double> wall, List<Double> accuracy, long rows) {
    /** Training seconds until the test accuracy first reaches {@code target}, or NaN. */
    double secondsTo(double target) {
      double sum = 0;
      for (int i = 0; i < seconds.size(); i++) {
        sum += seconds.get(i);
        if (accuracy.get(i) >= target) {
          return sum;
        }
      }
      return Double.NaN;
    }

    int epochsTo(double target) {
      for (int i = 0; i < accuracy.size(); i++) {
        if (accuracy.get(i) >= target) {
          return i + 1;
        }
      }
      return -1;
    }

    /** The median fitting seconds of an epoch after the first (which pays for warm-up). */
    double steadySeconds() {
      return medianAfterFirst(seconds);
    }

    /** The median wall seconds of an epoch after the first, validation included. */
    double steadyWallSeconds() {
      return medianAfterFirst(wall);
    }

    private static double medianAfterFirst(List<Double> values) {
      double[] rest = values.subList(Math.min(1, values.size() - 1), values.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return rest.length % 2 == 1 ? rest[rest.length / 2] : (rest[rest.length / 2 - 1] + rest[rest.length / 2]) / 2;
    }
  }

  public static void main(String[] args) throws Exception {
    String digits = args[0];
    String name = args[1];
    List<String> options = Arrays.asList(args).subList(2, args.length);
    int epochs = options.contains("--epochs") ? Integer.parseInt(options.get(options.indexOf("--epochs") + 1)) : 10;
    int longer = options.contains("--max-epochs") ? Integer.parseInt(options.get(options.indexOf("--max-epochs") + 1)) : 2 * epochs;
    boolean study = options.contains("--study");
    boolean exchangeStudy = options.contains("--exchange-study");
    boolean warmupStudy = options.contains("--warmup-study");
    boolean baselines = !options.contains("--no-baselines");
    String train = Path.of(digits, "train").toString();
    String test = Path.of(digits, "test").toString();
    Path work = Files.createTempDirectory("sparkfit-tta-");
    List<Run> runs = new ArrayList<>();
    double target;

    SparkSession one = SparkSessions.create(config(name, train, test, work, "local[1]", epochs, List.of()).config().spark());
    try {
      runs.add(single(one, config(name, train, test, work, "local[1]", epochs, List.of()).config()));
      target = runs.get(0).accuracy().get(epochs - 1);
      System.out.printf(Locale.ROOT, "Target: one machine's %d-epoch test accuracy %.4f%n", epochs, target);
      if (baselines) {
        runs.add(sparkfit(one, name, train, test, work, "local[1]", epochs, "Sparkfit, 1 worker", "defaults", List.of()));
      }
    } finally {
      one.stop();
    }
    SparkSession two = SparkSessions.create(config(name, train, test, work, "local[2]", epochs, List.of()).config().spark());
    try {
      runs.add(sparkfit(two, name, train, test, work, "local[2]", longer, "Sparkfit, 2 workers", "defaults", List.of()));
      if (exchangeStudy) {
        for (String exchange : List.of("ring", "star")) {
          for (boolean overlap : List.of(false, true)) {
            runs.add(
                sparkfit(
                    two, name, train, test, work, "local[2]", longer, "Sparkfit, 2 workers",
                    "exchange " + exchange + (overlap ? ", overlap" : ""),
                    List.of("training.exchange=" + exchange, "training.exchange-overlap=" + overlap)));
          }
        }
      }
      // --variants "name=key=value,key=value;name2=...": two-worker runs of any settings.
      if (options.contains("--variants")) {
        for (String variant : options.get(options.indexOf("--variants") + 1).split(";")) {
          int eq = variant.indexOf('=');
          List<String> overrides = eq < 0 ? List.of() : List.of(variant.substring(eq + 1).split(","));
          runs.add(sparkfit(two, name, train, test, work, "local[2]", longer, "Sparkfit, 2 workers", variant.substring(0, Math.max(eq, 0)), overrides));
        }
      }
      if (study) {
        double lr = config(name, train, test, work, "local[2]", epochs, List.of()).config().model().updater().learningRate();
        for (String state : List.of("average", "local", "reset")) {
          for (int frequency : List.of(5, 20)) {
            for (double scale : List.of(1.0, 2.0)) {
              List<String> overrides =
                  List.of(
                      "training.updater-state=" + state,
                      "training.averaging-frequency=" + frequency,
                      "training.learning-rate-scaling=none",
                      "model.updater.learning-rate=" + lr * scale);
              String variant = String.format(Locale.ROOT, "updater-state %s, every %d, lr x%.0f", state, frequency, scale);
              runs.add(sparkfit(two, name, train, test, work, "local[2]", longer, "Sparkfit, 2 workers", variant, overrides));
            }
          }
        }
      }
      if (baselines) {
        // DL4J's Spark module is in the spark-3.5 build only (bench/time-to-accuracy builds that one).
        if (io.sparkfit.config.TrainingConfig.Engine.DL4J.inThisBuild()) {
          runs.add(sparkfit(two, name, train, test, work, "local[2]", longer, "DL4J Spark module, 2 workers", "engine dl4j", List.of("training.engine=dl4j")));
        }
        if (name.equals("mlp")) {
          runs.add(mllib(two, train, test, target));
        }
      }
    } finally {
      // Also ends the barrier timer thread Spark leaves behind, which would keep this JVM alive.
      SparkSessions.stop(two);
    }
    if (warmupStudy) {
      // Epochs to the target with more workers than cores: their seconds say nothing here, their epochs do.
      for (int workers : List.of(2, 4, 8)) {
        String master = "local[" + workers + "]";
        SparkSession many = SparkSessions.create(config(name, train, test, work, master, epochs, List.of()).config().spark());
        try {
          for (int warmup : List.of(0, 1, 2)) {
            runs.add(
                sparkfit(
                    many, name, train, test, work, master, longer, "Sparkfit, " + workers + " workers", "warm-up " + warmup + " epochs",
                    List.of("training.learning-rate-warmup-epochs=" + warmup)));
          }
        } finally {
          SparkSessions.stop(many);
        }
      }
    }
    report(name, epochs, target, runs);
  }

  private static LoadedConfig config(String name, String train, String test, Path work, String master, int epochs, List<String> overrides) {
    List<String> all = new ArrayList<>(
        List.of(
            "data.train=" + train,
            "data.validation=" + test,
            "output.dir=" + work.resolve("out"),
            "output.overwrite=true",
            "training.epochs=" + epochs,
            "metrics.mode=validation",
            "metrics.names=[accuracy]",
            "spark.master=\"" + master + "\"",
            "spark.conf.\"spark.ui.enabled\"=false"));
    all.addAll(overrides);
    return ConfigLoader.load(Path.of("bench/digits/" + name + ".conf"), all);
  }

  private static Run sparkfit(
      SparkSession spark, String name, String train, String test, Path work, String master, int epochs, String system, String variant, List<String> overrides) {
    LoadedConfig loaded = config(name, train, test, work, master, epochs, overrides);
    TrainingSummary summary = TrainingRun.run(spark, loaded);
    List<Double> seconds = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (EpochResult e : summary.epochs()) {
      seconds.add(e.fitSeconds());
      wall.add(e.seconds());
      accuracy.add(e.validation().orElseThrow().scalar(Metric.named("accuracy").orElseThrow()).orElseThrow());
    }
    Run run = new Run(system, variant, seconds, wall, accuracy, spark.read().parquet(train).count());
    print(run);
    return run;
  }

  /** DL4J's own fit, one machine, one thread, on the same minibatches and network. */
  private static Run single(SparkSession spark, SparkfitConfig config) {
    DigitsBenchmark.OneMachine fitted = DigitsBenchmark.fitOneMachine(spark, config);
    Run run = new Run("DL4J fit, one machine", "1 thread", fitted.seconds(), fitted.seconds(), fitted.accuracy(), fitted.rows());
    print(run);
    return run;
  }

  /**
   * MLlib's MLP (L-BFGS, the same 784-128-10 layers) trained from scratch with more and more
   * iterations until its test accuracy reaches the target: the time is that last fit's.
   */
  private static Run mllib(SparkSession spark, String train, String test, double target) {
    Dataset<Row> trainRows = vectors(spark, train).repartition(2).cache();
    Dataset<Row> testRows = vectors(spark, test).cache();
    trainRows.count();
    testRows.count();
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    List<Double> seconds = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (int iterations : new int[] {25, 50, 75, 100, 150, 200, 300}) {
      long start = System.nanoTime();
      MultilayerPerceptronClassificationModel model =
          new MultilayerPerceptronClassifier().setLayers(new int[] {784, 128, 10}).setBlockSize(128).setMaxIter(iterations).setSeed(42).fit(trainRows);
      double took = (System.nanoTime() - start) / 1e9;
      double reached = evaluator.evaluate(model.transform(testRows));
      System.out.printf(Locale.ROOT, "MLlib MLP, %d iterations: %.1f s, test accuracy %.4f%n", iterations, took, reached);
      if (reached >= target || iterations == 300) {
        // One "epoch" of the whole fit: secondsTo() then gives this fit's time when it reached the target.
        seconds.add(took);
        accuracy.add(reached);
        Run run = new Run("Spark MLlib MLP (L-BFGS), 2 workers", iterations + " iterations", seconds, seconds, accuracy, trainRows.count());
        trainRows.unpersist();
        testRows.unpersist();
        return run;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static Dataset<Row> vectors(SparkSession spark, String path) {
    return spark.read().parquet(path)
        .select(
            org.apache.spark.ml.functions.array_to_vector(functions.col("pixels")).as("features"),
            functions.col("digit").cast("double").as("label"));
  }

  private static void print(Run run) {
    System.out.printf(
        Locale.ROOT,
        "%s [%s]: seconds %s; accuracy %s%n",
        run.system(),
        run.variant(),
        run.seconds().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).collect(Collectors.joining(" ")),
        run.accuracy().stream().map(a -> String.format(Locale.ROOT, "%.4f", a)).collect(Collectors.joining(" ")));
  }

  private static void report(String name, int epochs, double target, List<Run> runs) throws IOException {
    Run single = runs.get(0);
    double singleTime = single.secondsTo(target);
    double singleSteady = single.steadySeconds();
    StringBuilder csv = new StringBuilder();
    Path file = Path.of("bench/results/time-to-accuracy-" + java.time.LocalDate.now() + ".csv");
    if (!Files.exists(file)) {
      csv.append(
          "network,system,variant,target_accuracy,epochs_to_target,seconds_to_target,time_vs_one_machine,"
              + "steady_seconds_per_epoch,steady_wall_seconds_per_epoch,examples_per_second,speed_vs_one_machine,epochs_run,last_accuracy,cores\n");
    }
    System.out.printf(Locale.ROOT, "%n%s on real digits: time to one machine's %d-epoch test accuracy (%.4f)%n", name, epochs, target);
    System.out.printf(
        Locale.ROOT, "%-38s %-36s %7s %9s %8s %9s %9s %9s %9s%n", "system", "variant", "epochs", "fit s", "vs one", "fit s/ep", "wall s/ep", "speed", "last acc");
    for (Run r : runs) {
      boolean mllib = r.system().startsWith("Spark MLlib");
      double to = r.secondsTo(target);
      double steady = mllib ? Double.NaN : r.steadySeconds();
      double steadyWall = mllib ? Double.NaN : r.steadyWallSeconds();
      System.out.printf(
          Locale.ROOT, "%-38s %-36s %7s %9.1f %8.2f %9.3f %9.3f %9.2f %9.4f%n",
          r.system(), r.variant(), mllib ? "-" : String.valueOf(r.epochsTo(target)), to, to / singleTime, steady, steadyWall,
          singleSteady / steady, r.accuracy().get(r.accuracy().size() - 1));
      csv.append(
          String.format(
              Locale.ROOT, "%s,%s,%s,%.4f,%d,%.2f,%.3f,%.4f,%.4f,%.0f,%.3f,%d,%.4f,%d%n",
              name, r.system().replace(',', ';'), r.variant().replace(',', ';'), target, mllib ? -1 : r.epochsTo(target), to, to / singleTime,
              steady, steadyWall, r.rows() / steady, singleSteady / steady, r.accuracy().size(), r.accuracy().get(r.accuracy().size() - 1),
              Runtime.getRuntime().availableProcessors()));
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv.toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    System.out.println("Wrote " + file);
  }
}

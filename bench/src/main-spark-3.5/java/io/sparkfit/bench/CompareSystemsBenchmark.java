package io.sparkfit.bench;

import io.sparkfit.testing.Perceptrons;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.run.EpochResult;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.run.TrainingSummary;
import io.sparkfit.testing.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every system on the same data in one run: Sparkfit (fast and full metrics), single-machine DL4J
 * {@code fit}, DL4J's Spark module as its documentation shows it, and Spark MLlib's
 * {@code MultilayerPerceptronClassifier} run to the same test accuracy. MNIST-sized by default
 * (8,000 × 784, 10 classes; a 784-128-10 MLP, Adam, batch 64), in {@code local[2]}.
 *
 * <p>Arguments: {@code [--size N] [--epochs N]}: N×8,000 training rows; epochs for the DL4J systems.
 */
public final class CompareSystemsBenchmark {
  private static final int BATCH = 64;
  private static final int HIDDEN = 128;
  private static final long SEED = 7;

  record Result(String system, double secondsPerEpoch, double firstEpochSeconds, double examplesPerSecond, double testAccuracy, String note) {}

  public static void main(String[] args) throws IOException {
    Map<String, Integer> opts = MetricsModesBenchmark.options(args);
    int rows = 8000 * opts.getOrDefault("size", 1);
    int epochs = opts.getOrDefault("epochs", 10);
    Path work = Path.of("bench/work/compare").toAbsolutePath();
    Files.createDirectories(work);

    SyntheticData.Points all = BenchData.points(rows, SEED);
    float[][] x = BenchData.standardised(all.features(), rows);
    List<DataSet> train = minibatches(x, all.labels(), 0, rows);
    List<DataSet> test = minibatches(x, all.labels(), rows, all.size());

    SparkSession spark = BenchData.session();
    List<Result> results = new ArrayList<>();
    try {
      BenchData.write(spark, work.resolve("data").toString(), all, rows);
      results.add(single(train, test, epochs, rows));
      for (String mode : List.of("fast", "full")) {
        results.add(sparkfit(spark, work, mode, epochs, rows, test));
      }
      results.add(dl4jSpark(spark, train, test, epochs, rows));
      results.add(mllib(spark, x, all.labels(), rows, results.get(0).testAccuracy()));
    } finally {
      SparkSessions.stop(spark);
    }
    report(results, rows, epochs);
  }

  private static List<DataSet> minibatches(float[][] x, int[] labels, int from, int to) {
    List<DataSet> batches = new ArrayList<>();
    for (int start = from; start < to; start += BATCH) {
      int n = Math.min(BATCH, to - start);
      float[][] bx = new float[n][];
      float[][] by = new float[n][BenchData.CLASSES];
      for (int i = 0; i < n; i++) {
        bx[i] = x[start + i];
        by[i][labels[start + i]] = 1;
      }
      batches.add(new DataSet(Nd4j.create(bx), Nd4j.create(by)));
    }
    return batches;
  }

  private static MultiLayerNetwork network() {
    ModelConfig model =
        new ModelConfig(List.of(new LayerSpec.Dense(HIDDEN, "relu")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.001, 0.9, 0.95), 0, SEED);
    return Perceptrons.create(model, Task.CLASSIFICATION, BenchData.WIDTH, BenchData.CLASSES);
  }

  private static double accuracy(MultiLayerNetwork network, List<DataSet> test) {
    long correct = 0;
    long total = 0;
    for (DataSet b : test) {
      var predicted = network.output(b.getFeatures(), false).argMax(1);
      var actual = b.getLabels().argMax(1);
      correct += predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
      total += b.numExamples();
    }
    return (double) correct / total;
  }

  private static Result timed(String system, List<Double> epochSeconds, int rows, double accuracy, String note) {
    List<Double> rest = epochSeconds.subList(1, epochSeconds.size());
    double perEpoch = rest.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new Result(system, perEpoch, epochSeconds.get(0), rows / perEpoch, accuracy, note);
  }

  private static Result single(List<DataSet> train, List<DataSet> test, int epochs, int rows) {
    MultiLayerNetwork network = network();
    List<Double> seconds = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      long start = System.nanoTime();
      train.forEach(network::fit);
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    return timed("DL4J fit, one machine", seconds, rows, accuracy(network, test), "");
  }

  private static Result sparkfit(SparkSession spark, Path work, String mode, int epochs, int rows, List<DataSet> test)
      throws IOException {
    String data = work.resolve("data").toString();
    String hocon =
        String.format(
            Locale.ROOT,
            """
            data { train = "%s/train", validation = "%s/validation", features = [pixels], label = digit, normalize = standard }
            model { layers = [ { type = dense, units = %d, activation = relu } ], updater { type = adam, learning-rate = 0.001 }, seed = %d }
            training { epochs = %d, batch-size-per-worker = %d, averaging-frequency = 5 }
            metrics { mode = %s, names = [accuracy, f1, auc, confusion-matrix] }
            output { dir = "%s/out-%s", overwrite = true }
            """,
            data, data, HIDDEN, SEED, epochs, BATCH, mode, work, mode);
    TrainingSummary summary = TrainingRun.run(spark, ConfigLoader.parse(hocon, List.of()));
    List<Double> seconds = summary.epochs().stream().map(EpochResult::seconds).toList();
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(work.resolve("out-" + mode + "/metrics.json").toFile());
    // Fast mode computes no validation metric: every system is scored the same way, on the test rows
    // standardised with the training rows' statistics, as Sparkfit's saved normalizer does.
    double accuracy;
    try (var in = Files.newInputStream(work.resolve("out-" + mode + "/model.zip"))) {
      accuracy = accuracy(io.sparkfit.model.ModelArchive.read(in, "model.zip").network().asMultiLayer().orElseThrow(), test);
    }
    long fitted = json.at("/final/train/count").asLong();
    return timed("Sparkfit " + mode, seconds, rows, accuracy, "fits " + fitted + " of " + rows + " rows per epoch");
  }

  private static Result dl4jSpark(SparkSession spark, List<DataSet> train, List<DataSet> test, int epochs, int rows) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // As DL4J's documentation shows it: an RDD of minibatches, default (export) approach.
    JavaRDD<DataSet> data = sc.parallelize(train);
    ParameterAveragingTrainingMaster master =
        new ParameterAveragingTrainingMaster.Builder(BATCH)
            .averagingFrequency(5)
            .workerPrefetchNumBatches(2)
            .batchSizePerWorker(BATCH)
            .build();
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network(), master);
    List<Double> seconds = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      long start = System.nanoTime();
      sparkNet.fit(data);
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    master.deleteTempFiles(sc);
    return timed("DL4J Spark module (docs)", seconds, rows, accuracy(sparkNet.getNetwork(), test), "");
  }

  private static Result mllib(SparkSession spark, float[][] x, int[] labels, int rows, double target) {
    StructType schema =
        new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    List<Row> trainRows = new ArrayList<>();
    List<Row> testRows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      double[] d = new double[x[i].length];
      for (int j = 0; j < d.length; j++) {
        d[j] = x[i][j];
      }
      (i < rows ? trainRows : testRows).add(RowFactory.create(Vectors.dense(d), (double) labels[i]));
    }
    Dataset<Row> train = spark.createDataFrame(trainRows, schema).repartition(2).cache();
    Dataset<Row> test = spark.createDataFrame(testRows, schema).cache();
    train.count();
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    Result last = null;
    for (int iterations : new int[] {25, 50, 100, 200}) {
      long start = System.nanoTime();
      MultilayerPerceptronClassificationModel model =
          new MultilayerPerceptronClassifier()
              .setLayers(new int[] {BenchData.WIDTH, HIDDEN, BenchData.CLASSES})
              .setBlockSize(128)
              .setMaxIter(iterations)
              .setSeed(SEED)
              .fit(train);
      double seconds = (System.nanoTime() - start) / 1e9;
      double accuracy = evaluator.evaluate(model.transform(test));
      last = new Result("Spark MLlib MLP (L-BFGS)", seconds, Double.NaN, Double.NaN, accuracy, iterations + " iterations, total time");
      if (accuracy >= target - 0.005) {
        break;
      }
    }
    return last;
  }

  private static void report(List<Result> results, int rows, int epochs) throws IOException {
    double single = results.get(0).secondsPerEpoch();
    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%d training rows x %d features, %d classes; %d-%d-%d MLP, Adam, batch %d, %d epochs; local[2], %d cores%n",
        rows, BenchData.WIDTH, BenchData.CLASSES, BenchData.WIDTH, HIDDEN, BenchData.CLASSES, BATCH, epochs, cores));
    table.append(String.format(Locale.ROOT, "%-26s %9s %9s %11s %9s %10s  %s%n", "system", "s/epoch", "1st epoch", "examples/s", "test acc", "vs single", "note"));
    StringBuilder csv = new StringBuilder("system,seconds_per_epoch,first_epoch_seconds,examples_per_second,test_accuracy,speed_vs_single,note,rows,epochs,cores\n");
    for (Result r : results) {
      double ratio = single / r.secondsPerEpoch();
      boolean mllib = r.system().startsWith("Spark MLlib");
      table.append(String.format(Locale.ROOT, "%-26s %9.3f %9s %11s %9s %10s  %s%n", r.system(), r.secondsPerEpoch(),
          Double.isNaN(r.firstEpochSeconds()) ? "-" : String.format(Locale.ROOT, "%.3f", r.firstEpochSeconds()),
          Double.isNaN(r.examplesPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", r.examplesPerSecond()),
          Double.isNaN(r.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", r.testAccuracy()),
          mllib ? String.format(Locale.ROOT, "%.2fx*", single * epochs / r.secondsPerEpoch()) : String.format(Locale.ROOT, "%.2fx", ratio),
          r.note()));
      csv.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.1f,%.4f,%.4f,%s,%d,%d,%d%n", r.system(), r.secondsPerEpoch(), r.firstEpochSeconds(),
          r.examplesPerSecond(), r.testAccuracy(), mllib ? single * epochs / r.secondsPerEpoch() : ratio, r.note(), rows, epochs, cores));
    }
    table.append("* MLlib: whole training time to its accuracy, against single-machine DL4J's whole training time.\n");
    System.out.print(table);
    BenchResults.write("compare", csv.toString());
  }
}

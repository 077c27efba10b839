package io.sparkfit.bench;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.Metric;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.Network;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.model.NetworkJson;
import io.sparkfit.run.EpochResult;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.run.TrainingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A network from {@code bench/digits/<name>.conf} on real digits kept outside the repository:
 * single-machine DL4J {@code fit} of the same network on the same minibatches (Sparkfit's encoding,
 * collected to the driver), then Sparkfit with one worker ({@code local[1]}) and two ({@code local[2]}),
 * each for the config's epochs, with the test split's accuracy after every epoch.
 *
 * <p>Usage: {@code DigitsBenchmark DIGITS_DIR NAME [TRAIN_SUBDIR]}; results in {@code bench/results/digits-DATE.csv}.
 */
public final class DigitsBenchmark {
  private DigitsBenchmark() {}

  public static void main(String[] args) throws Exception {
    String digits = args[0];
    String name = args[1];
    String split = args.length > 2 ? args[2] : "";
    String train = Path.of(digits, split, "train").toString();
    String test = Path.of(digits, split, "test").toString();
    Path work = Files.createTempDirectory("sparkfit-digits-");
    StringBuilder csv = new StringBuilder();
    Path results = Path.of("bench/results/digits-" + java.time.LocalDate.now() + ".csv");
    if (!Files.exists(results)) {
      csv.append("network,data,system,epoch,seconds,examples_per_second,test_accuracy\n");
    }
    String data = split.isEmpty() ? "digits" : split;
    for (String master : List.of("local[1]", "local[2]")) {
      LoadedConfig loaded = config(name, train, test, work.resolve(master.replaceAll("\\W", "")).toString(), master);
      SparkSession spark = SparkSessions.create(loaded.config().spark());
      try {
        if (master.equals("local[1]")) {
          single(spark, loaded.config(), name, data, csv);
        }
        TrainingSummary summary = TrainingRun.run(spark, loaded);
        long rows = spark.read().parquet(train).count();
        for (EpochResult e : summary.epochs()) {
          double accuracy = e.validation().orElseThrow().scalar(Metric.named("accuracy").orElseThrow()).orElseThrow();
          row(csv, name, data, "Sparkfit " + master, e.epoch(), e.seconds(), rows, accuracy);
        }
      } finally {
        spark.stop();
      }
    }
    System.out.print(csv);
    Files.createDirectories(results.getParent());
    Files.writeString(results, csv.toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    System.out.println("Wrote " + results);
  }

  private static LoadedConfig config(String name, String train, String test, String out, String master) {
    return ConfigLoader.load(
        Path.of("bench/digits/" + name + ".conf"),
        List.of(
            "data.train=" + train,
            "data.validation=" + test,
            "output.dir=" + out,
            "output.overwrite=true",
            "spark.master=\"" + master + "\"",
            "spark.conf.\"spark.ui.enabled\"=false"));
  }

  /** What one-machine {@code fit} did: training rows, and each epoch's seconds and test accuracy. */
  record OneMachine(long rows, List<Double> seconds, List<Double> accuracy) {}

  /**
   * DL4J's own fit, one machine, one thread, on the same minibatches Sparkfit makes (collected to the
   * driver) and the same network, for the config's epochs; the test accuracy after each.
   */
  static OneMachine fitOneMachine(SparkSession spark, SparkfitConfig config) {
    TrainingData loaded = TrainingData.load(spark, config.data(), config.model().seed());
    InputLayout layout;
    Network network;
    if (config.model().dl4jConfiguration().isPresent()) {
      // The user's own network, as written: what one machine trains with it.
      String path = config.model().dl4jConfiguration().get();
      NetworkJson.Loaded json =
          NetworkJson.load(
              ModelFiles.readText(path, spark.sparkContext().hadoopConfiguration(), "model.dl4j-configuration"),
              path, loaded.task(), loaded.featureSpec(), loaded.labelIndex().outputs());
      layout = json.layout();
      network = json.network();
    } else {
      layout = NetworkFactory.layout(config.model(), loaded.featureSpec());
      network = NetworkFactory.create(config.model(), loaded.task(), loaded.featureSpec(), loaded.labelIndex().outputs(), Optional.empty());
    }
    int batch = config.training().batchSizePerWorker();
    List<MultiDataSet> train = loaded.trainMinibatches(batch, layout).collect();
    List<MultiDataSet> test = loaded.validationMinibatches(batch, layout).orElseThrow().collect();
    List<Double> seconds = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (int epoch = 1; epoch <= config.training().epochs(); epoch++) {
      long start = System.nanoTime();
      for (MultiDataSet b : train) {
        network.fit(b);
      }
      seconds.add((System.nanoTime() - start) / 1e9);
      accuracy.add(accuracy(network, test));
    }
    long rows = loaded.trainCounts().used();
    loaded.release();
    return new OneMachine(rows, seconds, accuracy);
  }

  private static void single(SparkSession spark, SparkfitConfig config, String name, String data, StringBuilder csv) {
    OneMachine fitted = fitOneMachine(spark, config);
    for (int e = 0; e < fitted.seconds().size(); e++) {
      row(csv, name, data, "DL4J fit, one machine", e + 1, fitted.seconds().get(e), fitted.rows(), fitted.accuracy().get(e));
    }
  }

  /** Test accuracy of {@code network} on minibatches whose labels are one-hot classes. */
  static double accuracy(Network network, List<MultiDataSet> test) {
    long right = 0;
    long all = 0;
    for (MultiDataSet b : test) {
      INDArray predicted = network.output(b.getFeatures(), b.getFeaturesMaskArrays()).argMax(1);
      INDArray actual = b.getLabels(0).argMax(1);
      right += predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
      all += actual.length();
    }
    return (double) right / all;
  }

  private static void row(StringBuilder csv, String name, String data, String system, int epoch, double seconds, long rows, double accuracy) {
    String line =
        String.format(Locale.ROOT, "%s,%s,%s,%d,%.2f,%.0f,%.4f%n", name, data, system, epoch, seconds, rows / seconds, accuracy);
    System.out.print(line);
    csv.append(line);
  }
}

package io.sparkfit.run;

import io.sparkfit.testing.SparkTied;
import io.sparkfit.nd4j.NetworkOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.TestLogs;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SparkAccumulators;
import io.sparkfit.testing.TestMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The train run end to end on {@code data-samples/}, through the example configs in {@code conf/}. */
@SparkTied
class TrainingRunTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** Loads an example config, with data paths made absolute and output under the test's directory. */
  private LoadedConfig example(String name, String... overrides) {
    Path conf = Repo.conf(name);
    List<String> all = new ArrayList<>();
    LoadedConfig plain = ConfigLoader.load(conf, List.of());
    all.add("data.train=" + Repo.root().resolve(plain.config().data().train()));
    plain.config().data().validation().ifPresent(v -> all.add("data.validation=" + Repo.root().resolve(v)));
    all.add("output.dir=" + tmp.resolve("out"));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(conf, all);
  }

  private static JsonNode json(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** The learning rate every layer of {@code network} trains with at its first step. */
  private static List<Double> learningRates(io.sparkfit.model.Network network) {
    List<Double> rates = new ArrayList<>();
    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = network.asMultiLayer().orElseThrow().getLayerWiseConfigurations();
    for (org.deeplearning4j.nn.conf.NeuralNetConfiguration layer : conf.getConfs()) {
      rates.add(((org.deeplearning4j.nn.conf.layers.BaseLayer) layer.getLayer()).getIUpdater().getLearningRate(0, 0));
    }
    return rates;
  }

  @Test
  void theLearningRateGrowsWithTheWorkersAsConfigured() {
    LoadedConfig plain = example("quickstart.conf");
    TrainingData data = TrainingData.load(spark, plain.config().data(), plain.config().model().seed());
    try {
      double configured = plain.config().model().updater().learningRate();
      for (String scaling : List.of("linear", "sqrt", "none")) {
        LoadedConfig config = example("quickstart.conf", "training.learning-rate-scaling=" + scaling);
        double factor = switch (scaling) {
          case "linear" -> 4;
          case "sqrt" -> 2;
          default -> 1;
        };
        InitialNetwork.Start four =
            InitialNetwork.create(config.config(), data, java.util.Optional.empty(), java.util.Optional.empty(), spark.sparkContext().hadoopConfiguration(), 4);
        assertThat(learningRates(four.network())).as(scaling).allSatisfy(lr -> assertThat(lr).isCloseTo(configured * factor, within(1e-12)));
        InitialNetwork.Start one =
            InitialNetwork.create(config.config(), data, java.util.Optional.empty(), java.util.Optional.empty(), spark.sparkContext().hadoopConfiguration(), 1);
        assertThat(learningRates(one.network())).as(scaling + ", one worker").allSatisfy(lr -> assertThat(lr).isCloseTo(configured, within(1e-12)));
      }
    } finally {
      data.release();
    }
  }

  @Test
  void quickstartTrainsToAGoodAccuracyAndWritesModelMetricsAndProvenance() throws IOException {
    LoadedConfig config = example("quickstart.conf");
    TrainingSummary summary = TrainingRun.run(spark, config);

    Path out = tmp.resolve("out");
    assertThat(summary.outputDir()).isEqualTo(out.toString());
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("model.zip", "metrics.json", "provenance.json", "report.html", "_SUCCESS");
    }

    JsonNode metrics = json(out.resolve("metrics.json"));
    assertThat(metrics.get("epochs")).hasSize(10);
    JsonNode first = metrics.get("epochs").get(0);
    assertThat(first.get("epoch").asInt()).isEqualTo(1);
    assertThat(first.get("seconds").asDouble()).isPositive();
    JsonNode finalValidation = metrics.get("final").get("validation");
    // The stated accuracy: the quickstart's classes overlap, about 90% is what the data allows.
    assertThat(finalValidation.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
    assertThat(metrics.get("final").get("train").get("loss").asDouble())
        .isLessThan(first.get("train").get("loss").asDouble());

    JsonNode provenance = json(out.resolve("provenance.json"));
    long trainRows = provenance.at("/inputs/data.train/used").asLong();
    long validationRows = provenance.at("/inputs/data.validation/used").asLong();
    assertThat(trainRows + validationRows).isEqualTo(1500);
    assertThat(finalValidation.get("count").asLong()).isEqualTo(validationRows);
    // Every training example, every epoch.
    for (JsonNode epoch : metrics.get("epochs")) {
      assertThat(epoch.at("/train/count").asLong()).isEqualTo(trainRows);
    }
    assertThat(provenance.get("sparkAppId").asText()).isEqualTo(spark.sparkContext().applicationId());
    // The Spark it ran on, and which build of Sparkfit (the classifier of its job jar).
    assertThat(provenance.at("/versions/spark").asText()).isEqualTo(spark.version());
    assertThat(provenance.at("/versions/sparkfit-build").asText()).isEqualTo(System.getProperty("sparkfit.build")).startsWith("spark");
    assertThat(provenance.at("/versions/dl4j-spark").isMissingNode())
        .as("DL4J's Spark module named where the build has it")
        .isEqualTo(!io.sparkfit.config.TrainingConfig.Engine.DL4J.inThisBuild());
    assertThat(provenance.at("/versions/deeplearning4j").asText()).isEqualTo("1.0.0-M2.1");
    assertThat(provenance.at("/config/data/label").asText()).isEqualTo("segment");
    assertThat(provenance.at("/model/label-index").toString()).isEqualTo("[\"bronze\",\"gold\",\"silver\"]");

    // The validation metrics are exact: re-scoring the same split locally with the saved model
    // gives the same count and accuracy (the loss to float rounding: other minibatch sizes).
    TrainedModel model;
    try (InputStream in = Files.newInputStream(out.resolve("model.zip"))) {
      model = ModelArchive.read(in, "model.zip");
    }
    TrainingData data = TrainingData.load(spark, config.config().data(), config.config().model().seed());
    assertThat(model.normalizer()).isEqualTo(data.normalizer());
    Evaluator evaluator = TestMetrics.classifier(3, "accuracy");
    MetricSet local = MetricSet.empty();
    for (DataSet batch : io.sparkfit.testing.Batches.dataSets(data.validationMinibatches(100, io.sparkfit.testing.Batches.single(data)).orElseThrow())) {
      local = local.merge(
          NetworkOutputs.evaluate(evaluator, model.network().output(new INDArray[] {batch.getFeatures()}, null), batch.getLabels()));
    }
    data.release();
    assertThat(local.count()).isEqualTo(validationRows);
    var scalars = TestMetrics.scalars(local, 3, "accuracy");
    assertThat(scalars.get("accuracy")).isEqualTo(finalValidation.get("accuracy").asDouble());
    assertThat(scalars.get("loss")).isCloseTo(finalValidation.get("loss").asDouble(), within(1e-6));
  }

  @Test
  void autoWorkersTrainsATinyTableOnOneWorkerAndSaysWhy() throws IOException {
    // local[2] has two task slots; the quickstart's network is dense.
    List<String> log =
        TestLogs.capture(
            "io.sparkfit",
            () -> TrainingRun.run(spark, example("quickstart.conf", "training.workers=auto", "training.epochs=2")));
    assertThat(log)
        .contains(
            "Training on 1 worker (training.workers = auto): each parameter does 1.0 multiply-adds an example, under the 2 "
                + "that pay for exchanging it (a dense network's exchange costs about what its arithmetic does)");
    assertThat(log).anyMatch(line -> line.startsWith("Training with Sparkfit parameter averaging: 1 workers"));
    assertThat(json(tmp.resolve("out/metrics.json")).at("/final/validation/accuracy").asDouble()).isGreaterThan(0.8);

    List<String> explicit =
        TestLogs.capture(
            TrainingRun.class.getPackageName(),
            () -> TrainingRun.run(spark, example("quickstart.conf", "training.workers=2", "training.epochs=1", "output.overwrite=true")));
    assertThat(explicit).contains("Training on 2 workers (training.workers = 2)");
  }

  @Test
  void regressionOnSeparateValidationData() throws IOException {
    TrainingRun.run(spark, example("regression.conf"));
    JsonNode v = json(tmp.resolve("out/metrics.json")).at("/final/validation");
    assertThat(v.get("count").asLong()).isEqualTo(250);
    assertThat(v.get("r2").asDouble()).isGreaterThan(0.95);
    assertThat(v.get("rmse").asDouble()).isCloseTo(Math.sqrt(v.get("mse").asDouble()), within(1e-9));
  }

  @Test
  void aWeightedTargetTrainsOnSparkfitsEngineAndDl4jsRefusesIt() throws IOException {
    // One output: fitted with the square roots of the weights as the mask (LossLayerOutput), which
    // only Sparkfit's engine does.
    String[] weighted = {"data.features=[area_sqm, age_years, distance_km]", "data.weight-column=rooms"};
    if (io.sparkfit.config.TrainingConfig.Engine.DL4J.inThisBuild()) {
      String[] dl4j = java.util.stream.Stream.concat(java.util.Arrays.stream(weighted), java.util.stream.Stream.of("training.engine=dl4j"))
          .toArray(String[]::new);
      assertThatThrownBy(() -> TrainingRun.run(spark, example("regression.conf", dl4j)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Invalid training.engine: dl4j with data.weight-column rooms and one output");
      assertThat(tmp.resolve("out")).doesNotExist();
    }
    TrainingRun.run(spark, example("regression.conf", weighted));
    TrainingRun.run(spark, example("regression.conf", weighted[0], "output.dir=" + tmp.resolve("unweighted")));
    JsonNode v = json(tmp.resolve("out/metrics.json")).at("/final/validation");
    JsonNode plain = json(tmp.resolve("unweighted/metrics.json")).at("/final/validation");
    assertThat(v.get("count").asLong()).isEqualTo(250);
    // The rows' weights (1 to 6 rooms) do not make a worse fit of the same features.
    assertThat(v.get("r2").asDouble()).as("weighted r2, unweighted %s", plain.get("r2")).isGreaterThan(plain.get("r2").asDouble() - 0.05);
  }

  @Test
  void arrayFeaturesWithIntLabels() throws IOException {
    TrainingRun.run(spark, example("sensors.conf", "training.epochs=12"));
    // Four overlapping classes (chance 0.25): about 0.81 is what this data allows.
    assertThat(json(tmp.resolve("out/metrics.json")).at("/final/validation/accuracy").asDouble()).isGreaterThan(0.75);
  }

  @Test
  void vectorFeaturesWithDoubleLabels() throws IOException {
    TrainingRun.run(spark, example("vectors.conf"));
    assertThat(json(tmp.resolve("out/metrics.json")).at("/final/validation/accuracy").asDouble()).isGreaterThan(0.88);
  }

  @Test
  void fastModeDoesNoMetricWork() throws Exception {
    var used =
        SparkAccumulators.updatedDuring(spark, () -> TrainingRun.run(spark, example("quickstart.conf", "metrics.mode=fast", "training.epochs=2", "metrics.names=[f1, auc]")));
    // The loss comes back with each round's task results: no accumulator at all.
    assertThat(used).isEmpty();
    JsonNode metrics = json(tmp.resolve("out/metrics.json"));
    for (JsonNode epoch : metrics.get("epochs")) {
      assertThat(epoch.has("validation")).isFalse();
      assertThat(fieldNames(epoch.get("train"))).containsExactly("loss", "count");
    }
    assertThat(metrics.get("final").has("validation")).isFalse();
  }

  @Test
  void validationModeComputesMetricsOnValidationDataOnly() throws Exception {
    var used =
        SparkAccumulators.updatedDuring(
            spark,
            () -> TrainingRun.run(spark, example("quickstart.conf", "training.epochs=3", "metrics.names=[accuracy, f1, confusion-matrix]", "metrics.every-epochs=2")));
    assertThat(used).containsExactly("sparkfit.validation");
    JsonNode epochs = json(tmp.resolve("out/metrics.json")).get("epochs");
    assertThat(fieldNames(epochs.get(0).get("train"))).containsExactly("loss", "count");
    // Metrics every second epoch, and always on the last.
    assertThat(epochs.get(0).has("validation")).isFalse();
    assertThat(epochs.get(1).has("validation")).isTrue();
    assertThat(epochs.get(2).has("validation")).isTrue();
    JsonNode v = epochs.get(2).get("validation");
    assertThat(fieldNames(v)).containsExactly("loss", "accuracy", "f1", "count", "per-class", "confusion-matrix");
    assertThat(fieldNames(v.get("per-class"))).containsExactly("bronze", "gold", "silver");
    assertThat(matrixTotal(v)).isEqualTo(v.get("count").asLong());
  }

  @Test
  void fullModeTalliesTrainingMetricsFromTheTrainingPass() throws Exception {
    var used =
        SparkAccumulators.updatedDuring(
            spark,
            () -> TrainingRun.run(spark, example("quickstart.conf", "metrics.mode=full", "training.epochs=2", "metrics.names=[accuracy, auc, confusion-matrix]")));
    assertThat(used).containsExactlyInAnyOrder("sparkfit.train", "sparkfit.validation");
    JsonNode train = json(tmp.resolve("out/metrics.json")).at("/final/train");
    assertThat(fieldNames(train)).containsExactly("loss", "accuracy", "auc", "count", "confusion-matrix");
    // The training metrics saw exactly the examples the loss was tallied over.
    assertThat(matrixTotal(train)).isEqualTo(train.get("count").asLong()).isPositive();
    assertThat(train.get("accuracy").asDouble()).isBetween(0.5, 1.0);
  }

  /** The sum of a metrics block's confusion matrix. */
  private static long matrixTotal(JsonNode block) {
    long total = 0;
    for (JsonNode row : block.at("/confusion-matrix/counts")) {
      for (JsonNode c : row) {
        total += c.asLong();
      }
    }
    return total;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void anExistingOutputIsKeptUnlessOverwriteIsSet() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("previous.txt"), "keep me");
    assertThatThrownBy(() -> TrainingRun.run(spark, example("quickstart.conf", "output.overwrite=false")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("output.dir " + out + " already exists (set output.overwrite=true to replace it)");
    assertThat(Files.readString(out.resolve("previous.txt"))).isEqualTo("keep me");

    TrainingRun.run(spark, example("quickstart.conf", "output.overwrite=true", "training.epochs=1"));
    assertThat(out.resolve("previous.txt")).doesNotExist();
    assertThat(out.resolve("model.zip")).exists();
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("out");
    }
  }

  @Test
  void badInputWritesNothing() throws IOException {
    assertThatThrownBy(() -> TrainingRun.run(spark, example("quickstart.conf", "data.features=[age, salary]")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'salary' (data.features) not found in data.train");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }
}

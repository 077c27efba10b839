package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.data.BatchEncoder;
import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.inputs.Normalizer;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.Network;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.score.Evaluation;
import io.sparkfit.score.Prediction;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SharedSparkSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Networks beyond the multilayer perceptron, from config and from a user's DL4J JSON: a CNN over an
 * image column, an LSTM over variable-length sequences, a wide-and-deep graph with an embedding, and
 * a user's computation graph; each trains, travels through model.zip and scores the same after.
 */
class NetworksTest extends SharedSparkSession {
  @TempDir Path tmp;

  private LoadedConfig example(String conf, String name, String... overrides) {
    List<String> all = new ArrayList<>();
    String base = conf.replace(".conf", "");
    if (!base.equals("graph")) {
      all.add("data.train=" + Repo.dataSamples().resolve(base + "/train"));
      all.add("data.validation=" + Repo.dataSamples().resolve(base + "/test"));
    }
    all.add("output.dir=" + tmp.resolve(name));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(Repo.conf(conf), all);
  }

  private static ScoringConfig scoring(TrainedModel model) {
    return ConfigLoader.loadScoring(List.of(), model.task(), model.dropInvalid());
  }

  /** Trains in memory, writes model.zip to bytes and reads it back: the probabilities on the test rows must be identical. */
  private void roundTripsAndScoresIdentically(LoadedConfig loaded, String test) throws IOException {
    TrainingData data = TrainingData.load(spark, loaded.config().data(), loaded.config().model().seed());
    TrainedModel trained;
    try {
      trained = TrainingRun.fit(spark, loaded, data).model();
    } finally {
      data.release();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelArchive.write(trained, bytes);
    TrainedModel read = ModelArchive.read(new ByteArrayInputStream(bytes.toByteArray()), "model.zip");
    assertThat(read.network().getClass()).isEqualTo(trained.network().getClass());
    assertThat(read.featureSpec()).isEqualTo(trained.featureSpec());
    assertThat(read.layout()).isEqualTo(trained.layout());
    assertThat(read.network().params()).isEqualTo(trained.network().params());

    Path before = tmp.resolve("before-" + loaded.config().data().label());
    Path after = tmp.resolve("after-" + loaded.config().data().label());
    Prediction.run(spark, trained, test, before.toString(), new Prediction.Keep(List.of("id"), false), false, scoring(trained));
    Prediction.run(spark, read, test, after.toString(), new Prediction.Keep(List.of("id"), false), false, scoring(read));
    List<Row> a = spark.read().parquet(before.toString()).orderBy("id").collectAsList();
    List<Row> b = spark.read().parquet(after.toString()).orderBy("id").collectAsList();
    assertThat(a).hasSize((int) spark.read().parquet(test).count());
    assertThat(b).isEqualTo(a);
  }

  @Test
  void aCnnOverAnImageColumnRoundTripsThroughModelZipAndScoresIdentically() throws IOException {
    LoadedConfig images = example("images.conf", "images", "training.epochs=2");
    roundTripsAndScoresIdentically(images, Repo.dataSamples().resolve("images/test").toString());
  }

  @Test
  void anLstmOverVariableLengthSequencesRoundTripsAndScoresIdentically() throws IOException {
    LoadedConfig sequences = example("sequences.conf", "sequences", "training.epochs=2");
    roundTripsAndScoresIdentically(sequences, Repo.dataSamples().resolve("sequences/test").toString());
  }

  @Test
  void theConvolutionalAndRecurrentExamplesLearn() {
    TrainingSummary images = TrainingRun.run(spark, example("images.conf", "images-learn"));
    TrainedModel cnn = ModelFiles.load(images.outputDir(), new Configuration(), "model");
    assertThat(cnn.network()).isInstanceOf(Network.LayerStack.class);
    Evaluation.Result evaluated = Evaluation.run(spark, cnn, Repo.dataSamples().resolve("images/test").toString(), scoring(cnn));
    // Three balanced classes: chance is 1/3.
    assertThat(evaluated.metrics().count()).isEqualTo(300);
    assertThat(evaluated.toJson().at("/accuracy").asDouble()).isGreaterThan(0.8);
  }

  @Test
  void paddingIsMaskedSoAShortSequenceScoresAsItDoesAlone() {
    FeatureSpec spec = new FeatureSpec(List.of(new InputColumn.Sequence("signal", 2)));
    ModelConfig model =
        new ModelConfig(
            List.of(new LayerSpec.Lstm(6, false, "tanh"), new LayerSpec.Dense(4, "relu")),
            new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95),
            0,
            5);
    Network network = NetworkFactory.create(model, Task.CLASSIFICATION, spec, 3, Optional.empty());
    FeatureEncoder encoder = new FeatureEncoder(spec, Normalizer.none(2));
    InputLayout layout = NetworkFactory.layout(model, spec);
    Row shortRow = RowFactory.create(steps(3, 0.3));
    Row longRow = RowFactory.create(steps(9, -0.7));

    BatchEncoder alone = new BatchEncoder(encoder, layout, 1);
    assertThat(alone.add(shortRow, 0)).isTrue();
    BatchEncoder.Inputs one = alone.take();
    assertThat(one.features()[0].shape()).containsExactly(1, 2, 3);
    INDArray expected = network.output(one.features(), one.masks());

    BatchEncoder together = new BatchEncoder(encoder, layout, 2);
    together.add(longRow, 0);
    together.add(shortRow, 0);
    BatchEncoder.Inputs padded = together.take();
    assertThat(padded.features()[0].shape()).containsExactly(2, 2, 9);
    assertThat(padded.masks()[0].getRow(1).toDoubleVector()).containsExactly(1, 1, 1, 0, 0, 0, 0, 0, 0);
    INDArray both = network.output(padded.features(), padded.masks());
    assertThat(both.getRow(1).toDoubleVector()).containsExactly(expected.getRow(0).toDoubleVector(), within(1e-6));

    // Without the mask the padding changes the score: the mask is what makes them equal.
    INDArray unmasked = network.output(padded.features(), null);
    assertThat(unmasked.getRow(1).toDoubleVector()).isNotEqualTo(expected.getRow(0).toDoubleVector());
  }

  /** A sequence as Spark rows hold one: a Scala sequence of Scala sequences. */
  private static scala.collection.Seq<Object> steps(int n, double start) {
    List<Object> steps = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      steps.add(scala.collection.JavaConverters.asScalaBuffer(List.<Object>of(start + 0.1 * t, Math.sin(start + t))).toSeq());
    }
    return scala.collection.JavaConverters.asScalaBuffer(steps).toSeq();
  }

  @Test
  void aWideAndDeepGraphWithAnEmbeddingTrainsFromConfig() {
    TrainingSummary summary = TrainingRun.run(spark, example("orders.conf", "orders", "training.epochs=3"));
    TrainedModel model = ModelFiles.load(summary.outputDir(), new Configuration(), "model");
    assertThat(model.network()).isInstanceOf(Network.Graph.class);
    assertThat(model.layout().inputs())
        .containsExactly(
            new InputLayout.Columns(NetworkFactory.FEATURES_INPUT, List.of("category", "amount", "hour")),
            new InputLayout.Embedding("merchant", "merchant"));
    Evaluation.Result evaluated = Evaluation.run(spark, model, Repo.dataSamples().resolve("orders/test").toString(), scoring(model));
    assertThat(evaluated.metrics().count()).isEqualTo(1000);
  }

  /**
   * A user's JSON is scaled like a built network (x 2 for the session's two workers) and warmed up over
   * an epoch, and the rates the log states are the ones the saved network holds.
   */
  @Test
  void aUsersJsonIsScaledAndWarmedUpAsTheLogSays() {
    LoadedConfig graph =
        example(
            "graph.conf",
            "graph-scaled",
            "training.epochs=2",
            "training.workers=2",
            "training.learning-rate-warmup-epochs=1",
            "data.train=" + Repo.dataSamples().resolve("orders/train"),
            "data.validation=" + Repo.dataSamples().resolve("orders/test"),
            "model.dl4j-configuration=" + Repo.conf("networks/orders-graph.json"));
    List<String> log = new java.util.ArrayList<>();
    TrainingSummary[] summary = new TrainingSummary[1];
    log.addAll(io.sparkfit.testing.TestLogs.capture("io.sparkfit.run", () -> summary[0] = TrainingRun.run(spark, graph)));
    // The JSON's Adam at 0.005, doubled for two workers; then epoch 1 at the one-worker rate, epoch 2 at the scaled one.
    assertThat(log).anySatisfy(l -> assertThat(l).contains("Learning rates of model.dl4j-configuration").contains("x 2.00 for 2 workers").contains("[Adam 0.01000]"));
    assertThat(log).anySatisfy(l -> assertThat(l).startsWith("Learning-rate warm-up over 1 epochs").contains("[Adam by epoch 0.005000, 0.01000]"));
    TrainedModel model = ModelFiles.load(summary[0].outputDir(), new Configuration(), "model");
    org.deeplearning4j.nn.conf.ComputationGraphConfiguration saved =
        ((org.deeplearning4j.nn.graph.ComputationGraph) model.network().model()).getConfiguration();
    int layers = 0;
    for (org.deeplearning4j.nn.conf.graph.GraphVertex vertex : saved.getVertices().values()) {
      if (vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex layer
          && layer.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base
          && base.getIUpdater().hasLearningRate()) {
        assertThat(base.getIUpdater().getLearningRate(0, 0)).isCloseTo(0.005, within(1e-12));
        assertThat(base.getIUpdater().getLearningRate(0, 1)).isCloseTo(0.01, within(1e-12));
        layers++;
      }
    }
    assertThat(layers).as("every layer with an updater, read back from model.zip").isEqualTo(4);
  }

  @Test
  void aUsersJsonGraphTrainsEvaluatesAndPredicts() throws IOException {
    LoadedConfig graph =
        example(
            "graph.conf",
            "graph",
            "training.epochs=2",
            "data.train=" + Repo.dataSamples().resolve("orders/train"),
            "data.validation=" + Repo.dataSamples().resolve("orders/test"),
            "model.dl4j-configuration=" + Repo.conf("networks/orders-graph.json"));
    TrainingSummary summary = TrainingRun.run(spark, graph);
    TrainedModel model = ModelFiles.load(summary.outputDir(), new Configuration(), "model");
    assertThat(model.network()).isInstanceOf(Network.Graph.class);
    assertThat(model.layout().names()).containsExactly("merchant", "features");
    String test = Repo.dataSamples().resolve("orders/test").toString();
    assertThat(Evaluation.run(spark, model, test, scoring(model)).metrics().count()).isEqualTo(1000);
    Prediction.Summary predicted =
        Prediction.run(spark, model, test, tmp.resolve("graph-predictions").toString(), Prediction.Keep.none(), false, scoring(model));
    assertThat(predicted.rowsWritten()).isEqualTo(1000);
  }

  @Test
  void badShapesSequencesAndNetworkChoicesAreRefusedByNameWithNothingWritten() throws IOException {
    assertRefused(
        example("images.conf", "bad-shape", "data.features=[{column = pixels, shape = [1, 12, 13]}]"),
        "Invalid shape of data.features 'pixels': [1, 12, 13] makes 156 values, but column 'pixels' in data.train holds arrays of 144");

    Path ragged = tmp.resolve("ragged");
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1L, List.of(List.of(1f, 2f), List.of(3f, 4f)), "a"),
                RowFactory.create(2L, List.of(List.of(1f, 2f, 5f)), "b")),
            SampleTables.schema(
                SampleTables.field("id", org.apache.spark.sql.types.DataTypes.LongType),
                SampleTables.field(
                    "signal",
                    org.apache.spark.sql.types.DataTypes.createArrayType(
                        org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType))),
                SampleTables.field("rhythm", org.apache.spark.sql.types.DataTypes.StringType)));
    rows.coalesce(1).write().parquet(ragged.toString());
    assertRefused(
        example("sequences.conf", "bad-ragged", "data.train=" + ragged, "data.validation=" + ragged),
        "feature column 'signal' in data.train has time steps of different widths: 2 values in row ");

    assertRefused(
        example("images.conf", "bad-lstm", "model.layers=[{type = lstm, units = 4}]"),
        "Invalid model.layers[0]: lstm needs a sequence input (one array<array<float>> feature column), but the input is an image");
    assertRefused(
        example(
            "graph.conf",
            "bad-vocabulary",
            "data.train=" + Repo.dataSamples().resolve("orders/train"),
            "data.validation=" + Repo.dataSamples().resolve("orders/test"),
            "model.dl4j-configuration=" + Repo.conf("networks/orders-graph.json"),
            "data.features=[{column = merchant, max-categories = 100}, category, amount, hour]"),
        "model.dl4j-configuration " + Repo.conf("networks/orders-graph.json")
            + ": input 'merchant' feeds an embedding of 302 values, but column 'merchant' has 102 (100 categories, other and null)");
  }

  private void assertRefused(LoadedConfig config, String message) {
    Path out = Path.of(config.config().output().dir());
    assertThatThrownBy(() -> TrainingRun.run(spark, config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(message);
    assertThat(Files.exists(out)).as("nothing written to " + out).isFalse();
  }
}

package io.sparkfit.train;

import io.sparkfit.testing.SparkTied;
import io.sparkfit.testing.Perceptrons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.config.TrainingConfig.Engine;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.model.Network;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.testing.Batches;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Distributed training on one worker is ordinary training: Sparkfit's engine must end exactly where
 * {@code MultiLayerNetwork.fit} over the same minibatches ends, and every engine must report the
 * examples it really fitted.
 */
@SparkTied
class OneWorkerMatchesSingleMachineTest extends SharedSparkSession {
  // Package-private: Dl4jEngineTest (spark-3.5 build) trains DL4J's engine on the same data and network.
  static final int ROWS = 960;
  static final int BATCH = 32;
  static final int EPOCHS = 4;
  static final long SEED = 11;
  private static final ModelConfig MODEL =
      new ModelConfig(List.of(new LayerSpec.Dense(16, "relu")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95), 0.0, SEED);

  /** Minibatches of {@code BATCH}; the last one shorter when {@code rows} is not a multiple. */
  static List<DataSet> minibatches(int rows) {
    return SyntheticData.clusters(5, rows, 3, 6, 1.2).minibatches(BATCH, 3);
  }

  static MultiLayerNetwork network() {
    return Perceptrons.create(MODEL, Task.CLASSIFICATION, 6, 3);
  }

  private static List<MetricSet> train(MultiLayerNetwork network, List<DataSet> batches, int partitions, TrainingConfig config) {
    List<MetricSet> epochs = new ArrayList<>();
    try (Trainer trainer = Trainers.create(sc, Network.of(network), sc.parallelize(Batches.multi(batches), partitions), config, SEED)) {
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        epochs.add(trainer.fitEpoch(epoch, EpochMetrics.none()));
      }
    }
    return epochs;
  }

  static LossState loss(MetricSet m) {
    return (LossState) m.states().get(MetricSet.LOSS);
  }

  @Test
  void sparkfitsEngineOnOneWorkerIsExactlyFit() {
    List<DataSet> batches = minibatches(ROWS);
    for (int averagingFrequency : new int[] {1, 4}) {
      MultiLayerNetwork single = network();
      List<Double> singleLosses = new ArrayList<>();
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        double sum = 0;
        for (DataSet b : batches) {
          single.fit(b);
          sum += single.score() * b.numExamples();
        }
        singleLosses.add(sum / ROWS);
      }
      MultiLayerNetwork distributed = network();
      List<MetricSet> epochs =
          train(distributed, batches, 1, new TrainingConfig(Engine.AVERAGING, EPOCHS, BATCH, averagingFrequency, 1, 0, 0));

      assertThat(distributed.params()).as("averaging every %d minibatches", averagingFrequency).isEqualTo(single.params());
      assertThat(distributed.getUpdater().getStateViewArray()).isEqualTo(single.getUpdater().getStateViewArray());
      for (int e = 0; e < EPOCHS; e++) {
        assertThat(loss(epochs.get(e)).count()).isEqualTo(ROWS);
        assertThat(loss(epochs.get(e)).mean()).isCloseTo(singleLosses.get(e), within(1e-9));
      }
    }
  }

  /** A wide-and-deep graph: six numbers into one input, a categorical column (3 values, other, null) into an embedding. */
  private static Network graph() {
    FeatureSpec spec =
        new FeatureSpec(List.of(new InputColumn.Array("v", 6), new InputColumn.Categorical("c", List.of("x", "y", "z"))));
    ModelConfig model =
        new ModelConfig(
            List.of(new LayerSpec.Dense(16, "relu")),
            java.util.Map.of("c", 3),
            MODEL.updater(),
            0.0,
            0.0,
            io.sparkfit.config.GradientClipping.none(),
            SEED,
            java.util.Optional.empty(),
            java.util.Optional.empty());
    Network network = NetworkFactory.create(model, Task.CLASSIFICATION, spec, 3, java.util.Optional.empty());
    assertThat(network).isInstanceOf(Network.Graph.class);
    return network;
  }

  /** The minibatches with a second input: a category index that agrees with the class two times in three. */
  private static List<org.nd4j.linalg.dataset.api.MultiDataSet> twoInputs(List<DataSet> batches) {
    java.util.Random random = new java.util.Random(SEED);
    List<org.nd4j.linalg.dataset.api.MultiDataSet> out = new ArrayList<>();
    for (DataSet b : batches) {
      int n = b.numExamples();
      INDArray index = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 1);
      for (int i = 0; i < n; i++) {
        int label = b.getLabels().getRow(i).argMax().getInt(0);
        index.putScalar(i, 0, random.nextInt(3) < 2 ? label : random.nextInt(5));
      }
      out.add(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {b.getFeatures(), index}, new INDArray[] {b.getLabels()}));
    }
    return out;
  }

  @Test
  void sparkfitsEngineOnOneWorkerIsExactlyComputationGraphFit() {
    List<org.nd4j.linalg.dataset.api.MultiDataSet> batches = twoInputs(minibatches(ROWS));
    Network single = graph();
    org.deeplearning4j.nn.graph.ComputationGraph graph = (org.deeplearning4j.nn.graph.ComputationGraph) single.model();
    List<Double> singleLosses = new ArrayList<>();
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      double sum = 0;
      for (org.nd4j.linalg.dataset.api.MultiDataSet b : batches) {
        graph.fit(b);
        sum += graph.score() * b.getFeatures(0).size(0);
      }
      singleLosses.add(sum / ROWS);
    }
    Network distributed = graph();
    List<MetricSet> epochs = new ArrayList<>();
    TrainingConfig config = new TrainingConfig(Engine.AVERAGING, EPOCHS, BATCH, 4, 1, 0, 0);
    try (Trainer trainer = Trainers.create(sc, distributed, sc.parallelize(batches, 1), config, SEED)) {
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        epochs.add(trainer.fitEpoch(epoch, EpochMetrics.none()));
      }
    }
    assertThat(distributed.params()).isEqualTo(single.params());
    assertThat(distributed.updaterState()).isEqualTo(single.updaterState());
    for (int e = 0; e < EPOCHS; e++) {
      assertThat(loss(epochs.get(e)).count()).isEqualTo(ROWS);
      assertThat(loss(epochs.get(e)).mean()).isCloseTo(singleLosses.get(e), within(1e-9));
    }
  }

  /** Every exchange, with and without overlap. */
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> exchanges() {
    return java.util.stream.Stream.of(TrainingConfig.Exchange.values())
        .flatMap(e -> java.util.stream.Stream.of(false, true).map(o -> org.junit.jupiter.params.provider.Arguments.of(e, o)));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}, overlap {1}")
  @org.junit.jupiter.params.provider.MethodSource("exchanges")
  void sparkfitsEngineFitsEveryExampleOnceWhateverThePartitioning(TrainingConfig.Exchange exchange, boolean overlap) {
    // 31 minibatches (the last of 8 examples) over 3 uneven partitions, trained by 2 workers.
    int rows = 30 * BATCH + 8;
    List<DataSet> batches = minibatches(rows);
    MultiLayerNetwork network = network();
    List<MetricSet> epochs =
        train(network, batches, 3, new TrainingConfig(Engine.AVERAGING, 3, BATCH, 4, 2, 0, 0).withExchange(exchange, overlap));
    assertThat(epochs).allSatisfy(m -> assertThat(loss(m).count()).isEqualTo(rows));
    assertThat(loss(epochs.get(2)).mean()).isLessThan(loss(epochs.get(0)).mean());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(TrainingConfig.Exchange.class)
  void sparkfitsEngineWeightsTheAverageByExamplesFitted(TrainingConfig.Exchange exchange) {
    // Two workers, one round: a minibatch of 32 examples and one of 8.
    List<DataSet> all = minibatches(40);
    MultiLayerNetwork first = network();
    first.fit(all.get(0));
    MultiLayerNetwork second = network();
    second.fit(all.get(1));
    INDArray expected = first.params().mul(32.0 / 40).addi(second.params().mul(8.0 / 40));

    MultiLayerNetwork distributed = network();
    List<MetricSet> epochs =
        train(distributed, all, 2, new TrainingConfig(Engine.AVERAGING, 1, BATCH, 1, 2, 0, 0).withExchange(exchange, false));
    assertThat(loss(epochs.get(0)).count()).isEqualTo(40);
    assertThat(distributed.params().distance2(expected)).isLessThan(1e-5);
  }
}

package io.sparkfit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SyntheticData;
import io.sparkfit.testing.TestMetrics;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Distributed training on one worker, averaging after every minibatch, is ordinary training: it must
 * end where {@code MultiLayerNetwork.fit} over the same minibatches ends (up to the order DL4J's
 * random split feeds them in, and the examples it skips).
 */
class OneWorkerMatchesSingleMachineTest extends SharedSparkSession {
  private static final int ROWS = 960;
  private static final int BATCH = 32;
  private static final int EPOCHS = 6;
  private static final long SEED = 11;
  private static final ModelConfig MODEL =
      new ModelConfig(List.of(new LayerSpec.Dense(16, "relu")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95), 0.0, SEED);

  private static List<DataSet> minibatches() {
    SyntheticData.Points points = SyntheticData.clusters(5, ROWS, 3, 6, 1.2);
    List<DataSet> batches = new ArrayList<>();
    for (int start = 0; start < ROWS; start += BATCH) {
      INDArray x = Nd4j.create(java.util.Arrays.copyOfRange(points.features(), start, start + BATCH)).castTo(Nd4j.defaultFloatingPointType());
      INDArray y = Nd4j.zeros(BATCH, 3);
      for (int i = 0; i < BATCH; i++) {
        y.putScalar(i, points.labels()[start + i], 1);
      }
      batches.add(new DataSet(x, y));
    }
    return batches;
  }

  private static MetricSet evaluate(MultiLayerNetwork network, List<DataSet> batches) {
    Evaluator evaluator = TestMetrics.classifier(3, "accuracy");
    MetricSet total = MetricSet.empty();
    for (DataSet b : batches) {
      total = total.merge(evaluator.evaluate(network.output(b.getFeatures(), false), b.getLabels()));
    }
    return total;
  }

  @Test
  void oneWorkerWithAveragingEveryMinibatchMatchesFit() {
    List<DataSet> batches = minibatches();

    MultiLayerNetwork single = NetworkFactory.create(MODEL, Task.CLASSIFICATION, 6, 3);
    MultiLayerNetwork distributed = NetworkFactory.create(MODEL, Task.CLASSIFICATION, 6, 3);
    assertThat(distributed.params()).isEqualTo(single.params());
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (DataSet b : batches) {
        single.fit(b);
      }
    }

    List<MetricSet> epochs = new ArrayList<>();
    try (Trainer trainer = Trainers.create(sc, distributed, sc.parallelize(batches, 2), new TrainingConfig(EPOCHS, BATCH, 1, 1, 0), SEED)) {
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        epochs.add(trainer.fitEpoch(epoch, List.of()));
      }
      distributed = trainer.network();
    }

    // DL4J's engine fits whole minibatches, but not all of them: its random split gives some
    // workers more than averaging-frequency minibatches per round, and it drops the surplus. The
    // count reports what was really fitted.
    assertThat(epochs)
        .allSatisfy(
            m -> {
              long count = m.states().get(MetricSet.LOSS).count();
              assertThat(count % BATCH).isZero();
              assertThat(count).isPositive().isLessThanOrEqualTo(ROWS);
            });
    // The training loss falls as training goes on.
    assertThat(loss(epochs.get(EPOCHS - 1))).isLessThan(loss(epochs.get(0)));

    MetricSet singleResult = evaluate(single, batches);
    MetricSet distributedResult = evaluate(distributed, batches);
    // Close, not equal: the order of minibatches differs, and DL4J skipped about a quarter of them
    // (measured here: single-machine loss 0.242, one DL4J worker 0.255).
    assertThat(loss(distributedResult)).isCloseTo(loss(singleResult), within(0.1 * loss(singleResult)));
    assertThat(TestMetrics.scalars(distributedResult, 3, "accuracy").get("accuracy"))
        .isCloseTo(TestMetrics.scalars(singleResult, 3, "accuracy").get("accuracy"), within(0.02));
    double relativeDistance = distributed.params().distance2(single.params()) / single.params().norm2Number().doubleValue();
    assertThat(relativeDistance).isLessThan(0.15);
  }

  private static double loss(MetricSet m) {
    return ((LossState) m.states().get(MetricSet.LOSS)).mean();
  }
}

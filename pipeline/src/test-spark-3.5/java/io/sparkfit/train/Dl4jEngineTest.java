package io.sparkfit.train;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.config.TrainingConfig.Engine;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import io.sparkfit.model.Network;
import io.sparkfit.nd4j.NetworkOutputs;
import io.sparkfit.testing.Batches;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.TestMetrics;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * DL4J's Spark engine, in the spark-3.5 build that has it: found through the service loader, and
 * reporting the examples it really fitted (OneWorkerMatchesSingleMachineTest holds Sparkfit's engine
 * to {@code fit} on both builds).
 */
@SparkTied
class Dl4jEngineTest extends SharedSparkSession {
  private static final int ROWS = OneWorkerMatchesSingleMachineTest.ROWS;
  private static final int BATCH = OneWorkerMatchesSingleMachineTest.BATCH;
  private static final int EPOCHS = OneWorkerMatchesSingleMachineTest.EPOCHS;

  private static MultiLayerNetwork network() {
    return OneWorkerMatchesSingleMachineTest.network();
  }

  private static LossState loss(MetricSet m) {
    return OneWorkerMatchesSingleMachineTest.loss(m);
  }

  @Test
  void thisBuildHasTheEngineThroughItsServiceFile() {
    assertThat(Engine.DL4J.inThisBuild()).isTrue();
    assertThat(Dl4jEngine.inThisBuild()).get().isInstanceOf(Dl4jSparkEngine.class);
  }

  @Test
  void dl4jsEngineOnOneWorkerIsCloseToFitButSkipsMinibatches() {
    List<DataSet> batches = OneWorkerMatchesSingleMachineTest.minibatches(ROWS);
    MultiLayerNetwork single = network();
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      batches.forEach(single::fit);
    }
    MultiLayerNetwork distributed = network();
    TrainingConfig config = new TrainingConfig(Engine.DL4J, EPOCHS, BATCH, 1, 1, 0, 0);
    List<MetricSet> epochs = new ArrayList<>();
    try (Trainer trainer = Trainers.create(sc, Network.of(distributed), sc.parallelize(Batches.multi(batches), 2), config, OneWorkerMatchesSingleMachineTest.SEED)) {
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        epochs.add(trainer.fitEpoch(epoch, EpochMetrics.none()));
      }
    }

    // DL4J's engine fits whole minibatches, but not all of them: its random split gives some
    // workers more than averaging-frequency minibatches per round, and it drops the surplus. The
    // count reports what was really fitted.
    assertThat(epochs)
        .allSatisfy(
            m -> {
              long count = loss(m).count();
              assertThat(count % BATCH).isZero();
              assertThat(count).isPositive().isLessThanOrEqualTo(ROWS);
            });
    Evaluator evaluator = TestMetrics.classifier(3, "accuracy");
    MetricSet singleResult = MetricSet.empty();
    MetricSet distributedResult = MetricSet.empty();
    for (DataSet b : batches) {
      singleResult = singleResult.merge(NetworkOutputs.evaluate(evaluator, single.output(b.getFeatures(), false), b.getLabels()));
      distributedResult = distributedResult.merge(NetworkOutputs.evaluate(evaluator, distributed.output(b.getFeatures(), false), b.getLabels()));
    }
    // Close, not equal: the order of minibatches differs, and DL4J skipped about a quarter of them.
    assertThat(loss(distributedResult).mean()).isCloseTo(loss(singleResult).mean(), within(0.15 * loss(singleResult).mean()));
    assertThat(TestMetrics.scalars(distributedResult, 3, "accuracy").get("accuracy"))
        .isCloseTo(TestMetrics.scalars(singleResult, 3, "accuracy").get("accuracy"), within(0.03));
  }
}

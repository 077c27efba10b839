package io.sparkfit.train;

import io.sparkfit.testing.SparkTied;
import io.sparkfit.testing.Perceptrons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.config.TrainingConfig.Engine;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import io.sparkfit.model.Network;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.testing.Batches;
import io.sparkfit.testing.SparkTestSession;
import io.sparkfit.testing.SyntheticData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * When a worker fails in the middle of an epoch, Spark re-runs the epoch's barrier stage, and the
 * averaging starts that epoch over: the run ends exactly where an undisturbed run ends, having
 * counted every example once, under every exchange.
 */
@SparkTied
class AveragingRecoveryTest {
  private static final int ROWS = 640;
  private static final int BATCH = 32;
  private static final long SEED = 5;
  private static SparkSession spark;
  private static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    // Tasks may fail up to 3 times, so Spark re-runs a failed barrier stage instead of giving up.
    spark = SparkTestSession.start("local[2,3]");
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static List<DataSet> minibatches() {
    return SyntheticData.clusters(9, ROWS, 3, 6, 1.2).minibatches(BATCH, 3);
  }

  private static MultiLayerNetwork network() {
    ModelConfig model =
        new ModelConfig(List.of(new LayerSpec.Dense(8, "relu")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95), 0.0, SEED);
    return Perceptrons.create(model, Task.CLASSIFICATION, 6, 3);
  }

  private static List<LossState> train(MultiLayerNetwork network, TrainingListener listenerInEpochTwo, TrainingConfig config) {
    List<LossState> losses = new ArrayList<>();
    try (Trainer trainer = Trainers.create(sc, Network.of(network), sc.parallelize(Batches.multi(minibatches()), 2), config, SEED)) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        MetricSet m = trainer.fitEpoch(epoch, epoch == 2 ? EpochMetrics.listening(List.of(listenerInEpochTwo)) : EpochMetrics.none());
        losses.add((LossState) m.states().get(MetricSet.LOSS));
      }
    }
    return losses;
  }

  /** Every updater-state option under every exchange, with and without overlap. */
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> options() {
    List<org.junit.jupiter.params.provider.Arguments> all = new ArrayList<>();
    for (TrainingConfig.UpdaterState state : TrainingConfig.UpdaterState.values()) {
      for (TrainingConfig.Exchange exchange : TrainingConfig.Exchange.values()) {
        for (boolean overlap : new boolean[] {false, true}) {
          all.add(org.junit.jupiter.params.provider.Arguments.of(state, exchange, overlap));
        }
      }
    }
    return all.stream();
  }

  /**
   * Under every option: under {@code local} the retried epoch must give each worker its own updater
   * state back (the average would end elsewhere); in a ring the workers average among themselves,
   * and a retried attempt forms its ring again.
   */
  @ParameterizedTest(name = "{0}, {1}, overlap {2}")
  @MethodSource("options")
  void aWorkerFailingMidEpochMakesTheEpochStartOverAndTheRunEndsTheSame(
      TrainingConfig.UpdaterState state, TrainingConfig.Exchange exchange, boolean overlap) throws Exception {
    TrainingConfig config = new TrainingConfig(Engine.AVERAGING, 3, BATCH, 2, 2, 0, 0).withUpdaterState(state).withExchange(exchange, overlap);
    FailOnce.INJECTED.set(0);
    MultiLayerNetwork undisturbed = network();
    List<LossState> expected = train(undisturbed, new FailOnce(-1), config);
    assertThat(FailOnce.INJECTED.get()).as("no failure in the undisturbed run").isZero();
    StageAttempts attempts = new StageAttempts();
    spark.sparkContext().addSparkListener(attempts);
    MultiLayerNetwork disturbed = network();
    List<LossState> actual;
    try {
      actual = train(disturbed, new FailOnce(1), config);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(attempts);
    }

    // The fault happened, once, and Spark ran the epoch's stage again because of it.
    assertThat(FailOnce.INJECTED.get()).isEqualTo(1);
    String injected = "java.lang.IllegalStateException: injected failure of worker 1";
    assertThat(attempts.failures).containsOnlyOnce(injected);
    // The coordinator drops the whole attempt at once: the other worker fails with it, for that reason only.
    assertThat(attempts.failures)
        .allSatisfy(f -> assertThat(f).satisfiesAnyOf(x -> assertThat(x).isEqualTo(injected), x -> assertThat(x).contains("lost the averaging connection")));
    assertThat(attempts.retried).as("stage attempts after the first").isNotEmpty();

    assertThat(disturbed.params()).isEqualTo(undisturbed.params());
    assertThat(disturbed.getUpdater().getStateViewArray()).isEqualTo(undisturbed.getUpdater().getStateViewArray());
    assertThat(actual).isEqualTo(expected);
    assertThat(actual).allSatisfy(loss -> assertThat(loss.count()).isEqualTo(ROWS));
  }

  @Test
  void anEpochThatCannotGetItsTaskSlotsFailsAfterTheStallTimeout() {
    // Three workers on two slots: Spark would wait for the third slot without end.
    TrainingConfig config = new TrainingConfig(Engine.AVERAGING, 1, BATCH, 2, 3, 0, 0).withStallTimeoutSeconds(2);
    try (Trainer trainer = Trainers.create(sc, Network.of(network()), sc.parallelize(Batches.multi(minibatches()), 3), config, SEED)) {
      assertThatThrownBy(() -> trainer.fitEpoch(1, EpochMetrics.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Epoch 1 stalled: no averaging worker joined or reported for 2 s (training.stall-timeout-seconds); "
                  + "the barrier stage needs 3 free task slots at once - was an executor lost?");
    }
    assertThat(sc.statusTracker().getActiveJobIds()).as("the stalled epoch's job was cancelled").isEmpty();
  }

  @Test
  void dynamicAllocationIsRefusedBeforeTraining() {
    SparkConf withDynamicAllocation = sc.getConf().set("spark.dynamicAllocation.enabled", "true");
    assertThat(withDynamicAllocation.getBoolean("spark.dynamicAllocation.enabled", false)).isTrue();
    assertThatThrownBy(() -> AveragingTrainer.refuseDynamicAllocation(withDynamicAllocation))
        .isInstanceOf(io.sparkfit.InvalidInputException.class)
        .hasMessageStartingWith("Invalid spark.dynamicAllocation.enabled: true (training.engine = averaging runs each epoch");
    AveragingTrainer.refuseDynamicAllocation(sc.getConf().set("spark.dynamicAllocation.enabled", "false"));
  }

  /** Which tasks failed and which stages ran more than once, as Spark's scheduler reports them. */
  private static final class StageAttempts extends SparkListener {
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Integer> retried = new CopyOnWriteArrayList<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure failure) {
        failures.add(failure.className() + ": " + failure.description());
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      if (submitted.stageInfo().attemptNumber() > 0) {
        retried.add(submitted.stageInfo().stageId());
      }
    }
  }

  /** Fails worker 1's third minibatch, in the first attempt of the stage only. */
  private static final class FailOnce extends BaseTrainingListener implements Serializable {
    /** How often a failure was injected: the tasks run in this JVM (local mode). */
    static final AtomicInteger INJECTED = new AtomicInteger();
    private final int failingWorker;
    private transient int seen;

    FailOnce(int failingWorker) {
      this.failingWorker = failingWorker;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      BarrierTaskContext task = BarrierTaskContext.get();
      if (task.partitionId() == failingWorker && task.stageAttemptNumber() == 0 && ++seen == 3) {
        INJECTED.incrementAndGet();
        throw new IllegalStateException("injected failure of worker " + failingWorker);
      }
    }
  }
}

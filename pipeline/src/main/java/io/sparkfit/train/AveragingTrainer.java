package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sparkfit's parameter-averaging engine. The minibatches sit in one partition per worker; an epoch is
 * a series of rounds, and in each round every worker fits its next {@code averaging-frequency}
 * minibatches, in order, starting from the averaged parameters and updater state. So every example is
 * fitted exactly once per epoch, whatever the partitioning, and the average is weighted by the
 * examples each worker fitted in the round. Workers keep their networks alive across rounds.
 *
 * <p>Each round is one Spark job whose results come back as task results (not accumulators), so the
 * loss is exact even when a task is retried.
 */
final class AveragingTrainer implements Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(AveragingTrainer.class);
  private static final StorageLevel STORAGE = StorageLevel.MEMORY_AND_DISK();

  private final JavaSparkContext sc;
  private final MultiLayerNetwork network;
  private final JavaRDD<DataSet> minibatches;
  private final TrainingConfig config;
  private final String run = UUID.randomUUID().toString();
  private final Broadcast<String> configuration;
  private final int rounds;

  AveragingTrainer(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> minibatches, TrainingConfig config) {
    this.sc = sc;
    this.network = network;
    this.config = config;
    int workers = config.workers() > 0 ? config.workers() : sc.defaultParallelism();
    JavaRDD<DataSet> partitioned =
        minibatches.getNumPartitions() == workers ? minibatches : minibatches.repartition(workers);
    this.minibatches = partitioned.persist(STORAGE);
    List<Integer> perWorker = this.minibatches.mapPartitions(it -> {
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    int most = perWorker.stream().mapToInt(Integer::intValue).max().orElse(0);
    this.rounds = (most + config.averagingFrequency() - 1) / config.averagingFrequency();
    this.configuration = sc.broadcast(network.getLayerWiseConfigurations().toJson());
    LOG.info(
        "Training with Sparkfit parameter averaging: {} workers, minibatches per worker {}, {} rounds per epoch",
        workers,
        perWorker,
        rounds);
  }

  @Override
  public MetricSet fitEpoch(int epoch, List<TrainingListener> listeners) {
    double lossSum = 0;
    long examples = 0;
    for (int round = 0; round < rounds; round++) {
      INDArray updater = network.getUpdater().getStateViewArray();
      var counts = network.getLayerWiseConfigurations();
      Broadcast<RoundStart> state =
          sc.broadcast(
              new RoundStart(
                  FitRound.floats(network.params()),
                  updater == null ? new float[0] : FitRound.floats(updater),
                  counts.getIterationCount(),
                  counts.getEpochCount()));
      List<RoundResult> results;
      try {
        results =
            minibatches
                .mapPartitionsWithIndex(
                    new FitRound(run, configuration, state, round, config.averagingFrequency(), config.threadsPerTask(), listeners),
                    true)
                .collect();
      } finally {
        state.destroy();
      }
      long roundExamples = results.stream().mapToLong(RoundResult::examples).sum();
      float[] parameters = average(results, roundExamples, true);
      float[] updaterState = average(results, roundExamples, false);
      network.setParams(Nd4j.createFromArray(parameters));
      if (updater != null && updaterState.length > 0) {
        updater.assign(Nd4j.createFromArray(updaterState).reshape(updater.shape()));
      }
      for (RoundResult r : results) {
        lossSum += r.lossSum();
      }
      // Every worker stepped its counter by the minibatches it fitted; continue from the longest.
      counts.setIterationCount(
          counts.getIterationCount() + results.stream().mapToInt(RoundResult::minibatches).max().orElse(0));
      examples += roundExamples;
    }
    network.getLayerWiseConfigurations().setEpochCount(network.getLayerWiseConfigurations().getEpochCount() + 1);
    return MetricSet.of(MetricSet.LOSS, new LossState(lossSum, examples));
  }

  /**
   * The example-weighted mean of the workers' parameters (or updater states). With one worker the
   * weight is exactly 1, so the result is that worker's values bit for bit.
   */
  private static float[] average(List<RoundResult> results, long total, boolean parameters) {
    float[] sum = null;
    for (RoundResult r : results) {
      float[] values = parameters ? r.parameters() : r.updaterState();
      float weight = (float) ((double) r.examples() / total);
      if (sum == null) {
        sum = new float[values.length];
      }
      for (int i = 0; i < values.length; i++) {
        sum[i] += weight * values[i];
      }
    }
    return sum == null ? new float[0] : sum;
  }

  @Override
  public MultiLayerNetwork network() {
    return network;
  }

  @Override
  public void close() {
    minibatches.unpersist(false);
    configuration.destroy();
    // The driver's own executor (local mode) drops this run's networks now; other executors' caches
    // are bounded and start over when full.
    ExecutorNetworks.release(run);
  }
}

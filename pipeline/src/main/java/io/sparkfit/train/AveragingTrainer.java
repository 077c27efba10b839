package io.sparkfit.train;

import io.sparkfit.executor.ExecutorNetworks;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.nd4j.BulkFloats;
import io.sparkfit.nd4j.PackedMinibatch;
import io.sparkfit.exchange.Coordinator;
import io.sparkfit.exchange.ExchangeState;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import io.sparkfit.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * Sparkfit's parameter-averaging engine. The minibatches sit in one partition per worker, and an
 * epoch is one Spark barrier stage with one task per worker. The epoch is a series of rounds: in each,
 * every worker fits its next {@code averaging-frequency} minibatches, in order, and the workers take
 * the average of their parameters (and updater state, per {@code training.updater-state}) weighted by
 * the examples each fitted, through the {@link io.sparkfit.exchange exchange}: among themselves in a
 * ring, or through the driver. So every example is fitted exactly once per epoch, whatever the
 * partitioning, and a round costs a few messages rather than a Spark job (measured: a job per round
 * ran at 0.42-0.45x of single-machine {@code fit}). A lone worker's epoch is one round: with nobody to
 * average with it is {@code fit} over its minibatches. With validation data, each partition also holds
 * its share of the validation minibatches, which the workers score after an epoch's last round
 * inside the same stage.
 *
 * <p>Barrier mode starts all of a stage's tasks together, which the exchange needs: a worker waits
 * for the others at every round. When a task fails (within {@code spark.task.maxFailures}), Spark
 * re-runs the whole stage, and the coordinator starts the epoch over from its starting state. The
 * loss comes back in task results, so it counts the successful attempt only.
 */
final class AveragingTrainer implements Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(AveragingTrainer.class);
  /**
   * On local disk, packed: each epoch streams them from there one at a time, so an executor's memory
   * stays flat however much data it trains on (measured in bench/cluster), and the operating system's
   * page cache, not the Java heap, keeps them fast to read while memory is free. (A DataSet's arrays
   * live off-heap, where Spark cannot account for them: deserialized minibatches would all stay in
   * memory.)
   */
  private static final StorageLevel STORAGE = StorageLevel.DISK_ONLY();

  private final JavaSparkContext sc;
  private final Network network;
  private final JavaRDD<PackedMinibatch> minibatches;
  /** The validation minibatches, one partition per worker, when the stage scores them. */
  private final Optional<JavaRDD<PackedMinibatch>> validation;
  /** Each worker's training minibatches, then its validation ones. */
  private final JavaRDD<StageInput> input;
  private final TrainingConfig config;
  private final String run = UUID.randomUUID().toString();
  private final Broadcast<String> configuration;
  private final Coordinator coordinator;
  private final int rounds;
  private final int minibatchesPerRound;
  private final long seed;
  private final int workers;
  /** {@code training.updater-state}; a lone worker's state is simply its own, as under {@code average}. */
  private final TrainingConfig.UpdaterState updaterState;
  private List<WorkerEpoch> lastEpoch = List.of();
  /** The job group of the epoch in progress, for {@link #abandonEpoch()}; null between epochs. */
  private volatile String currentGroup;

  /**
   * @param validation packed validation minibatches to score inside the training stage, or empty
   */
  AveragingTrainer(
      JavaSparkContext sc,
      Network network,
      JavaRDD<MultiDataSet> minibatches,
      Optional<JavaRDD<PackedMinibatch>> validation,
      TrainingConfig config,
      long seed) {
    SparkConf conf = sc.getConf();
    refuseDynamicAllocation(conf);
    this.sc = sc;
    this.seed = seed;
    this.network = network;
    this.config = config;
    int workers = Trainers.workers(sc, config);
    this.workers = workers;
    this.updaterState = workers == 1 ? TrainingConfig.UpdaterState.AVERAGE : config.updaterState();
    JavaRDD<MultiDataSet> partitioned =
        minibatches.getNumPartitions() == workers ? minibatches : minibatches.repartition(workers);
    // Encoded minibatches nobody else holds are freed as soon as they are packed; a caller's cached
    // ones (deserialized in its cache) must be left alone.
    boolean cachedByCaller = partitioned.getStorageLevel().useMemory();
    this.minibatches =
        (cachedByCaller ? partitioned.map(PackedMinibatch::pack) : partitioned.map(PackedMinibatch::packAndRelease)).persist(STORAGE);
    List<Integer> perWorker = this.minibatches.mapPartitions(it -> {
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    int most = perWorker.stream().mapToInt(Integer::intValue).max().orElse(0);
    // A lone worker has nobody to average with: its epoch is one round, like fit over its minibatches.
    this.minibatchesPerRound = workers == 1 ? Math.max(1, most) : config.averagingFrequency();
    this.rounds = (most + minibatchesPerRound - 1) / minibatchesPerRound;
    this.validation =
        validation.map(
            v -> (v.getNumPartitions() == workers ? v : v.repartition(workers)).persist(STORAGE));
    this.input =
        this.validation
            .map(v -> this.minibatches.zipPartitions(v, AveragingTrainer::inOrder))
            .orElseGet(() -> this.minibatches.map(m -> new StageInput(m, false)));
    this.configuration = sc.broadcast(network.configurationJson());
    String advertised = conf.get("spark.driver.host", "localhost");
    this.coordinator =
        Coordinator.start(
            config.exchange(),
            new Coordinator.Settings(conf.get("spark.driver.bindAddress", advertised), advertised, config.exchangePort(), workers, updaterState));
    LOG.info(
        "Training with Sparkfit parameter averaging: {} workers, minibatches per worker {}, {} rounds per epoch",
        workers,
        perWorker,
        rounds);
  }

  /** A partition's training minibatches, then its validation ones. */
  private static Iterator<StageInput> inOrder(Iterator<PackedMinibatch> training, Iterator<PackedMinibatch> validation) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return training.hasNext() || validation.hasNext();
      }

      @Override
      public StageInput next() {
        return training.hasNext() ? new StageInput(training.next(), false) : new StageInput(validation.next(), true);
      }
    };
  }

  /** Spark refuses barrier stages under dynamic allocation: say so before any work starts. */
  static void refuseDynamicAllocation(SparkConf conf) {
    InvalidInputException.check(
        !conf.getBoolean("spark.dynamicAllocation.enabled", false),
        "Invalid spark.dynamicAllocation.enabled: true (training.engine = averaging runs each epoch as a Spark "
            + "barrier stage, which Spark does not allow with dynamic allocation; disable it%s)",
        TrainingConfig.Engine.DL4J.inThisBuild() ? " or use training.engine = dl4j" : "");
  }

  @Override
  public MetricSet fitEpoch(int epoch, EpochMetrics metrics) {
    INDArray updater = network.updaterState();
    coordinator.beginEpoch(
        epoch,
        new ExchangeState(
            BulkFloats.of(network.params()),
            updater == null ? new float[0] : BulkFloats.of(updater),
            network.iterationCount(),
            network.epochCount()),
        rounds);
    FitEpoch work =
        new FitEpoch(
            run,
            configuration,
            coordinator.ticket(),
            epoch,
            seed,
            rounds,
            minibatchesPerRound,
            config.threadsPerTask(),
            config.overlapExchange() && workers > 1,
            metrics.listeners(),
            validation.isPresent() ? metrics.validation() : Optional.empty());
    RDD<WorkerEpoch> stage =
        input.rdd().barrier().mapPartitions(work, true, ClassTag$.MODULE$.apply(WorkerEpoch.class));
    long started = System.nanoTime();
    // Spark re-runs a failed barrier stage only if it is a shuffle-map stage (a failed barrier result
    // stage aborts the job), so the workers' small results go through a shuffle to one partition.
    List<WorkerEpoch> results = awaitEpoch(epoch, stage.toJavaRDD().repartition(1));
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Epoch {}: barrier stage {} s; per worker, seconds fitting {}, exchanging or waiting {}, bytes sent {}",
          epoch,
          String.format("%.3f", (System.nanoTime() - started) / 1e9),
          results.stream().map(r -> String.format("%.3f", r.fitSeconds())).toList(),
          results.stream().map(r -> String.format("%.3f", r.exchangeSeconds())).toList(),
          results.stream().map(WorkerEpoch::bytesSent).toList());
    }
    lastEpoch = List.copyOf(results);
    ExchangeState end = coordinator.endEpoch();
    FitEpoch.setValues(network, end.parameters(), end.updaterState());
    network.setCounts(end.iteration(), network.epochCount() + 1);
    // Each worker's loss state (weighted when the minibatches carry weights); no example fitted is a NaN loss.
    MetricSet loss = results.stream().map(WorkerEpoch::loss).reduce(MetricSet.empty(), MetricSet::merge);
    return loss.isEmpty() ? MetricSet.of(MetricSet.LOSS, LossState.EMPTY) : loss;
  }

  /** What each worker did in the last epoch: for benchmarks and tests. */
  List<WorkerEpoch> lastEpoch() {
    return lastEpoch;
  }

  @Override
  public double lastValidationSeconds() {
    return lastEpoch.stream().mapToDouble(WorkerEpoch::validationSeconds).max().orElse(0);
  }

  /**
   * Runs the epoch's job, and gives up when no worker has joined or sent a round for
   * {@code training.stall-timeout-seconds}. Spark re-runs a failed barrier stage only when it has a
   * slot for every task, and waits for them without end: after losing an executor for good, a run
   * would otherwise hang instead of failing.
   */
  private List<WorkerEpoch> awaitEpoch(int epoch, JavaRDD<WorkerEpoch> results) {
    String group = "sparkfit-" + run + "-epoch-" + epoch;
    sc.setJobGroup(group, "Sparkfit epoch " + epoch, true);
    JavaFutureAction<List<WorkerEpoch>> job;
    try {
      job = results.collectAsync();
      currentGroup = group;
    } finally {
      sc.clearJobGroup();
    }
    try {
      return await(epoch, group, job);
    } finally {
      currentGroup = null;
    }
  }

  private List<WorkerEpoch> await(int epoch, String group, JavaFutureAction<List<WorkerEpoch>> job) {
    while (true) {
      try {
        return job.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        if (coordinator.secondsSinceProgress() > config.stallTimeoutSeconds()) {
          sc.cancelJobGroup(group);
          throw new IllegalStateException(
              String.format(
                  "Epoch %d stalled: no averaging worker joined or reported for %d s (training.stall-timeout-seconds); "
                      + "the barrier stage needs %d free task slots at once - was an executor lost?",
                  epoch, config.stallTimeoutSeconds(), workers));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sc.cancelJobGroup(group);
        throw new IllegalStateException("Interrupted while training epoch " + epoch, e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
      }
    }
  }

  /** Closes the coordinator first, so its workers' broken connections are expected rather than reported. */
  @Override
  public void abandonEpoch() {
    coordinator.close();
    String group = currentGroup;
    if (group != null) {
      sc.cancelJobGroup(group);
    }
  }

  @Override
  public Network network() {
    return network;
  }

  @Override
  public void close() {
    coordinator.close();
    minibatches.unpersist(false);
    validation.ifPresent(v -> v.unpersist(false));
    configuration.destroy();
    // The driver's own executor (local mode) drops this run's networks now; other executors' caches
    // are bounded and start over when full.
    ExecutorNetworks.release(run);
  }
}

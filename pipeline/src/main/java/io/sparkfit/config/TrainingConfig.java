package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * How training runs. Validates itself.
 *
 * @param engine which parameter-averaging engine trains the network
 * @param workers number of parallel workers; 0 means as many as the executors have task slots, and
 *     {@link #AUTO_WORKERS} as many as the data keeps busy (decided once the data and network are known)
 * @param threadsPerTask ND4J threads in each Spark task; 0 means {@code spark.task.cpus}
 * @param exchangePort the driver port that Sparkfit's averaging workers connect to; 0 means any free port
 * @param earlyStopping when to stop before {@code epochs}, and which epoch's model to keep
 * @param stallTimeoutSeconds how long an epoch may go without any averaging progress before the run fails
 * @param device {@code training.device}: CPU, GPU, or whichever Spark gives each task
 * @param classWeights how much each class counts in the loss
 * @param updaterState what becomes of the updater's state (Adam's moments) at each averaging round
 * @param learningRateScaling how {@code model.updater.learning-rate} grows with the number of workers
 * @param stopGraceSeconds on SIGTERM or SIGINT, the epoch in progress is finished if it should end within
 *     this many seconds, and abandoned otherwise (its previous epoch's checkpoint stands)
 * @param exchange how the workers' states meet each averaging round
 * @param overlapExchange whether a round's exchange runs while the next round is fitted, its average
 *     folded in one round late
 * @param learningRateWarmupEpochs over how many epochs the scaled learning rate ramps up from the
 *     one-worker rate; 0 for none
 */
public record TrainingConfig(
    Engine engine,
    int epochs,
    int batchSizePerWorker,
    int averagingFrequency,
    int workers,
    int threadsPerTask,
    int exchangePort,
    EarlyStopping earlyStopping,
    int stallTimeoutSeconds,
    Device device,
    ClassWeights classWeights,
    UpdaterState updaterState,
    LearningRateScaling learningRateScaling,
    int stopGraceSeconds,
    Exchange exchange,
    boolean overlapExchange,
    int learningRateWarmupEpochs) {

  /** {@code training.workers = auto}: as many workers as the training data keeps busy, at most every task slot. */
  public static final int AUTO_WORKERS = -1;
  public static final int DEFAULT_STALL_TIMEOUT_SECONDS = 600;
  /** Chosen by time to one machine's accuracy on the digits benchmarks (docs/benchmarks.md). */
  public static final UpdaterState DEFAULT_UPDATER_STATE = UpdaterState.LOCAL;
  public static final LearningRateScaling DEFAULT_LEARNING_RATE_SCALING = LearningRateScaling.LINEAR;
  public static final int DEFAULT_STOP_GRACE_SECONDS = 10;
  /** Chosen by measurement: docs/engine.md, "Exchange". */
  public static final Exchange DEFAULT_EXCHANGE = Exchange.RING;
  public static final boolean DEFAULT_OVERLAP_EXCHANGE = true;
  public static final int DEFAULT_LEARNING_RATE_WARMUP_EPOCHS = 0;

  public TrainingConfig {
    InvalidInputException.check(epochs > 0, "Invalid training.epochs: %s (must be > 0)", epochs);
    Checks.atMost(epochs, Limits.MAX_EPOCHS, "training.epochs");
    InvalidInputException.check(batchSizePerWorker > 0, "Invalid training.batch-size-per-worker: %s (must be > 0)", batchSizePerWorker);
    Checks.atMost(batchSizePerWorker, Limits.MAX_BATCH_SIZE, "training.batch-size-per-worker");
    InvalidInputException.check(averagingFrequency > 0, "Invalid training.averaging-frequency: %s (must be > 0)", averagingFrequency);
    Checks.atMost(averagingFrequency, Limits.MAX_AVERAGING_FREQUENCY, "training.averaging-frequency");
    InvalidInputException.check(
        workers >= AUTO_WORKERS,
        "Invalid training.workers: %s (must be auto, 0 for as many as the executors have task slots, or a number of workers)",
        workers);
    Checks.atMost(workers, Limits.MAX_WORKERS, "training.workers");
    InvalidInputException.check(
        threadsPerTask >= 0, "Invalid training.threads-per-task: %s (must be >= 0; 0 = spark.task.cpus)", threadsPerTask);
    Checks.atMost(threadsPerTask, Limits.MAX_THREADS_PER_TASK, "training.threads-per-task");
    InvalidInputException.check(
        exchangePort >= 0 && exchangePort <= Limits.MAX_PORT,
        "Invalid training.exchange-port: %s (must be in [0, 65535]; 0 = any free port)",
        exchangePort);
    InvalidInputException.check(
        stallTimeoutSeconds > 0, "Invalid training.stall-timeout-seconds: %s (must be > 0)", stallTimeoutSeconds);
    Checks.atMost(stallTimeoutSeconds, Limits.MAX_TIMEOUT_SECONDS, "training.stall-timeout-seconds");
    InvalidInputException.check(
        stopGraceSeconds >= 0, "Invalid training.stop-grace-seconds: %s (must be >= 0; 0 = always abandon)", stopGraceSeconds);
    Checks.atMost(stopGraceSeconds, Limits.MAX_STOP_GRACE_SECONDS, "training.stop-grace-seconds");
    java.util.Objects.requireNonNull(engine, "engine");
    java.util.Objects.requireNonNull(earlyStopping, "earlyStopping");
    java.util.Objects.requireNonNull(device, "device");
    java.util.Objects.requireNonNull(classWeights, "classWeights");
    java.util.Objects.requireNonNull(updaterState, "updaterState");
    java.util.Objects.requireNonNull(learningRateScaling, "learningRateScaling");
    java.util.Objects.requireNonNull(exchange, "exchange");
    InvalidInputException.check(
        learningRateWarmupEpochs >= 0, "Invalid training.learning-rate-warmup-epochs: %s (must be >= 0; 0 = none)", learningRateWarmupEpochs);
    Checks.atMost(learningRateWarmupEpochs, Limits.MAX_EPOCH_COUNT, "training.learning-rate-warmup-epochs");
  }

  /** Without early stopping, with the default stall timeout, device, updater state and learning-rate scaling. */
  public TrainingConfig(
      Engine engine, int epochs, int batchSizePerWorker, int averagingFrequency, int workers, int threadsPerTask, int exchangePort) {
    this(
        engine,
        epochs,
        batchSizePerWorker,
        averagingFrequency,
        workers,
        threadsPerTask,
        exchangePort,
        EarlyStopping.off(),
        DEFAULT_STALL_TIMEOUT_SECONDS,
        Device.AUTO,
        ClassWeights.none(),
        DEFAULT_UPDATER_STATE,
        DEFAULT_LEARNING_RATE_SCALING,
        DEFAULT_STOP_GRACE_SECONDS,
        DEFAULT_EXCHANGE,
        DEFAULT_OVERLAP_EXCHANGE,
        DEFAULT_LEARNING_RATE_WARMUP_EPOCHS);
  }

  /** The same settings with {@code stallTimeoutSeconds}. */
  public TrainingConfig withStallTimeoutSeconds(int seconds) {
    return new TrainingConfig(
        engine, epochs, batchSizePerWorker, averagingFrequency, workers, threadsPerTask, exchangePort, earlyStopping, seconds, device, classWeights,
        updaterState, learningRateScaling, stopGraceSeconds, exchange, overlapExchange, learningRateWarmupEpochs);
  }

  /** Whether {@code training.workers = auto}: the count follows the data. */
  public boolean autoWorkers() {
    return workers == AUTO_WORKERS;
  }

  /** The same settings with {@code training.workers} resolved to {@code count}. */
  public TrainingConfig withWorkers(int count) {
    return new TrainingConfig(
        engine, epochs, batchSizePerWorker, averagingFrequency, count, threadsPerTask, exchangePort, earlyStopping, stallTimeoutSeconds,
        device, classWeights, updaterState, learningRateScaling, stopGraceSeconds, exchange, overlapExchange, learningRateWarmupEpochs);
  }

  /** The same settings with {@code updaterState}. */
  public TrainingConfig withUpdaterState(UpdaterState state) {
    return new TrainingConfig(
        engine, epochs, batchSizePerWorker, averagingFrequency, workers, threadsPerTask, exchangePort, earlyStopping, stallTimeoutSeconds,
        device, classWeights, state, learningRateScaling, stopGraceSeconds, exchange, overlapExchange, learningRateWarmupEpochs);
  }

  /** The same settings with {@code exchange} and {@code overlapExchange}. */
  public TrainingConfig withExchange(Exchange topology, boolean overlap) {
    return new TrainingConfig(
        engine, epochs, batchSizePerWorker, averagingFrequency, workers, threadsPerTask, exchangePort, earlyStopping, stallTimeoutSeconds,
        device, classWeights, updaterState, learningRateScaling, stopGraceSeconds, topology, overlap, learningRateWarmupEpochs);
  }

  /**
   * {@code training.exchange}: which way the workers' states meet each averaging round (Sparkfit's
   * engine with more than one worker).
   */
  public enum Exchange {
    /**
     * The workers form a ring and average among themselves (reduce-scatter, then all-gather): each
     * sends about 2 x its state per round whatever their number; the driver carries no parameters
     * mid-epoch. It introduces the workers, watches their progress and takes the epoch's final state.
     */
    RING,
    /** Every worker sends its state to the driver, which sends the average back: 2 x workers x state through one link. */
    STAR
  }

  /** The training engines. */
  public enum Engine {
    /** Sparkfit's: every example once per epoch, example-weighted averages, networks kept per worker. */
    AVERAGING,
    /**
     * DL4J's Spark module: {@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}.
     * Only the spark-3.5 build has it: the module exists for Scala 2.12 only.
     */
    DL4J;

    /** Why a build without DL4J's Spark module refuses {@link #DL4J}: one line, naming the build that has it. */
    public static final String DL4J_NOT_IN_THIS_BUILD =
        "Invalid training.engine: dl4j (DL4J's Spark module exists for Scala 2.12 only, so only Sparkfit's spark-3.5 build "
            + "has this engine: build with mvn -Pspark-3.5 and submit the jar with classifier spark3.5_2.12 to a Spark 3.5 "
            + "cluster, or use training.engine = averaging)";

    private static final String DL4J_SPARK_MODULE = "org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer";
    /** The service file through which the train package finds the engine (io.sparkfit.train.Dl4jEngine). */
    private static final String DL4J_ENGINE_SERVICE = "META-INF/services/io.sparkfit.train.Dl4jEngine";

    /**
     * Whether this build has the engine: DL4J's needs DL4J's Spark module on the classpath and the
     * spark-3.5 build's service file that registers Sparkfit's wrapper of it, the same file the
     * trainer is then loaded from.
     */
    public boolean inThisBuild() {
      if (this == AVERAGING) {
        return true;
      }
      ClassLoader loader = Engine.class.getClassLoader();
      if (loader.getResource(DL4J_ENGINE_SERVICE) == null) {
        return false;
      }
      try {
        Class.forName(DL4J_SPARK_MODULE, false, loader);
        return true;
      } catch (ClassNotFoundException e) {
        return false;
      }
    }
  }

  /**
   * {@code training.updater-state}: what happens to the updater's state (Adam's moment estimates) when
   * the workers' parameters are averaged. Only the averaging engine with more than one worker has a choice.
   */
  public enum UpdaterState {
    /** Averaged like the parameters, weighted by the examples each worker fitted. */
    AVERAGE,
    /**
     * Kept by each worker as its own updates left it; the driver's copy (checkpoints, the saved model)
     * is their average. A retried or resumed epoch starts every worker from that average.
     */
    LOCAL,
    /** Zeroed after every round: each round's updates start afresh from the averaged parameters. */
    RESET
  }

  /**
   * {@code training.learning-rate-scaling}: with N workers, each averaging round combines N workers'
   * steps into one, so the configured learning rate is multiplied by N ({@code linear}), by sqrt(N)
   * ({@code sqrt}) or left alone ({@code none}). Applies to every updater of the network, built from
   * {@code model.layers} or read from {@code model.dl4j-configuration}, schedules included.
   */
  public enum LearningRateScaling {
    NONE,
    SQRT,
    LINEAR;

    /** The factor for {@code workers} workers. */
    public double factor(int workers) {
      return switch (this) {
        case NONE -> 1.0;
        case SQRT -> Math.sqrt(workers);
        case LINEAR -> workers;
      };
    }
  }
}

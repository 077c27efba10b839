package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * How training runs. Validates itself.
 *
 * @param engine which parameter-averaging engine trains the network
 * @param workers number of parallel workers; 0 means as many as the executors have task slots
 * @param threadsPerTask ND4J threads in each Spark task; 0 means {@code spark.task.cpus}
 * @param exchangePort the driver port that Sparkfit's averaging workers connect to; 0 means any free port
 * @param earlyStopping when to stop before {@code epochs}, and which epoch's model to keep
 * @param stallTimeoutSeconds how long an epoch may go without any averaging progress before the run fails
 * @param device {@code training.device}: CPU, GPU, or whichever Spark gives each task
 * @param classWeights how much each class counts in the loss
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
    ClassWeights classWeights) {

  public static final int DEFAULT_STALL_TIMEOUT_SECONDS = 600;

  public TrainingConfig {
    InvalidInputException.check(epochs > 0, "Invalid training.epochs: %s (must be > 0)", epochs);
    InvalidInputException.check(batchSizePerWorker > 0, "Invalid training.batch-size-per-worker: %s (must be > 0)", batchSizePerWorker);
    InvalidInputException.check(averagingFrequency > 0, "Invalid training.averaging-frequency: %s (must be > 0)", averagingFrequency);
    InvalidInputException.check(
        workers >= 0, "Invalid training.workers: %s (must be >= 0; 0 = Spark default parallelism)", workers);
    InvalidInputException.check(
        threadsPerTask >= 0, "Invalid training.threads-per-task: %s (must be >= 0; 0 = spark.task.cpus)", threadsPerTask);
    InvalidInputException.check(
        exchangePort >= 0 && exchangePort <= 65535,
        "Invalid training.exchange-port: %s (must be in [0, 65535]; 0 = any free port)",
        exchangePort);
    InvalidInputException.check(
        stallTimeoutSeconds > 0, "Invalid training.stall-timeout-seconds: %s (must be > 0)", stallTimeoutSeconds);
    java.util.Objects.requireNonNull(engine, "engine");
    java.util.Objects.requireNonNull(earlyStopping, "earlyStopping");
    java.util.Objects.requireNonNull(device, "device");
    java.util.Objects.requireNonNull(classWeights, "classWeights");
  }

  /** Without early stopping, with the default stall timeout and device. */
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
        ClassWeights.none());
  }

  /** The same settings with {@code stallTimeoutSeconds}. */
  public TrainingConfig withStallTimeoutSeconds(int seconds) {
    return new TrainingConfig(
        engine, epochs, batchSizePerWorker, averagingFrequency, workers, threadsPerTask, exchangePort, earlyStopping, seconds, device, classWeights);
  }

  /** The training engines. */
  public enum Engine {
    /** Sparkfit's: every example once per epoch, example-weighted averages, networks kept per worker. */
    AVERAGING,
    /** DL4J's Spark module: {@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}. */
    DL4J
  }
}

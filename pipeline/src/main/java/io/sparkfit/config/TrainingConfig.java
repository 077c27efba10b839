package io.sparkfit.config;

/**
 * How training runs.
 *
 * @param engine which parameter-averaging engine trains the network
 * @param workers number of parallel workers; 0 means Spark's default parallelism
 * @param threadsPerTask ND4J threads in each Spark task; 0 means {@code spark.task.cpus}
 * @param exchangePort the driver port that Sparkfit's averaging workers connect to; 0 means any free port
 * @param earlyStopping when to stop before {@code epochs}, and which epoch's model to keep
 * @param stallTimeoutSeconds how long an epoch may go without any averaging progress before the run fails
 * @param device {@code training.device}: CPU, GPU, or whichever Spark gives each task
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
    Device device) {

  public static final int DEFAULT_STALL_TIMEOUT_SECONDS = 600;

  /** Without early stopping. */
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
        Device.AUTO);
  }

  /** The training engines. */
  public enum Engine {
    /** Sparkfit's: every example once per epoch, example-weighted averages, networks kept per worker. */
    AVERAGING,
    /** DL4J's Spark module: {@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}. */
    DL4J
  }
}

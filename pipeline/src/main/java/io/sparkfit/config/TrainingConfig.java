package io.sparkfit.config;

/**
 * How training runs.
 *
 * @param engine which parameter-averaging engine trains the network
 * @param workers number of parallel workers; 0 means Spark's default parallelism
 * @param threadsPerTask ND4J threads in each Spark task; 0 means {@code spark.task.cpus}
 * @param exchangePort the driver port that Sparkfit's averaging workers connect to; 0 means any free port
 */
public record TrainingConfig(
    Engine engine, int epochs, int batchSizePerWorker, int averagingFrequency, int workers, int threadsPerTask, int exchangePort) {

  /** The training engines. */
  public enum Engine {
    /** Sparkfit's: every example once per epoch, example-weighted averages, networks kept per worker. */
    AVERAGING,
    /** DL4J's Spark module: {@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}. */
    DL4J
  }
}

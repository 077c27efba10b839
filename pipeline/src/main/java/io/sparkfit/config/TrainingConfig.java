package io.sparkfit.config;

/**
 * How training runs.
 *
 * @param workers number of parallel workers; 0 means Spark's default parallelism
 * @param threadsPerTask ND4J threads in each Spark task; 0 means {@code spark.task.cpus}
 */
public record TrainingConfig(int epochs, int batchSizePerWorker, int averagingFrequency, int workers, int threadsPerTask) {}

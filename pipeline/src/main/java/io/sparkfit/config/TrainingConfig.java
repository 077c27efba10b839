package io.sparkfit.config;

/**
 * How training runs.
 *
 * @param workers number of parallel workers; 0 means Spark's default parallelism
 */
public record TrainingConfig(int epochs, int batchSizePerWorker, int averagingFrequency, int workers) {}

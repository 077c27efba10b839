/**
 * A training run end to end: {@link io.sparkfit.run.TrainingRun} orchestrates (output, resume, data,
 * network), the {@link io.sparkfit.run.EpochLoop} runs the epochs with early stopping and
 * checkpoints, and the typed {@link io.sparkfit.run.TrainingHistory} becomes {@code metrics.json},
 * checkpoint state and {@code report.html}. Also the job's SparkSession.
 */
package io.sparkfit.run;

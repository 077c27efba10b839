package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * Settings for the evaluate and predict jobs, from {@code key=value} arguments over the defaults and
 * what the model recorded. Validates itself, including that the metrics fit the model's task.
 *
 * @param task the model's task
 * @param metrics which metrics {@code evaluate} computes ({@code metrics.names}, {@code metrics.auc-bins}, ...)
 * @param exactAuc {@code metrics.exact-auc}: AUC from a distributed sort of the scores instead of histograms
 * @param batchSize rows scored per network call ({@code scoring.batch-size})
 * @param dropInvalid {@code data.drop-invalid}: skip rows with invalid features; defaults to the model's training setting
 */
public record ScoringConfig(Task task, MetricsConfig metrics, boolean exactAuc, int batchSize, boolean dropInvalid, SparkSettings spark) {
  public ScoringConfig {
    metrics.checkFits(task);
    InvalidInputException.check(batchSize > 0, "Invalid scoring.batch-size: %s (must be > 0)", batchSize);
    Checks.atMost(batchSize, Limits.MAX_BATCH_SIZE, "scoring.batch-size");
  }
}

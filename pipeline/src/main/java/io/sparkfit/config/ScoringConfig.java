package io.sparkfit.config;

/**
 * Settings for the evaluate and predict jobs, from {@code key=value} arguments over the defaults and
 * what the model recorded.
 *
 * @param metrics which metrics {@code evaluate} computes ({@code metrics.names}, {@code metrics.auc-bins}, ...)
 * @param exactAuc {@code metrics.exact-auc}: AUC from a distributed sort of the scores instead of histograms
 * @param batchSize rows scored per network call ({@code scoring.batch-size})
 * @param dropInvalid {@code data.drop-invalid}: skip rows with invalid features; defaults to the model's training setting
 */
public record ScoringConfig(MetricsConfig metrics, boolean exactAuc, int batchSize, boolean dropInvalid, SparkSettings spark) {}

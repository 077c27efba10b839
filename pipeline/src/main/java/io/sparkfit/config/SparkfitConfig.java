package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * A job's whole configuration, validated: each section checks its own values when it is built, and
 * this record checks the values that depend on each other across sections (the metrics against the
 * task, the early-stopping metric against the metrics asked for). A config built in code (the Spark
 * ML estimator, tests) passes the same checks as one read by {@link ConfigLoader}.
 *
 * <p>Immutable and serializable to executors as plain values.
 */
public record SparkfitConfig(
    DataConfig data,
    ModelConfig model,
    TrainingConfig training,
    MetricsConfig metrics,
    OutputConfig output,
    SparkSettings spark,
    GuardConfig guard) {

  /** Without guards: for configs built in code (the Spark ML estimator, tests). */
  public SparkfitConfig(
      DataConfig data, ModelConfig model, TrainingConfig training, MetricsConfig metrics, OutputConfig output, SparkSettings spark) {
    this(data, model, training, metrics, output, spark, GuardConfig.none());
  }

  public SparkfitConfig {
    metrics.checkFits(data.task());
    InvalidInputException.check(
        guard.promote().champion().isEmpty() || guard.promote().holdout().isPresent() || data.validation().isPresent(),
        "guard.promote.champion = %s needs labelled data both models score: set guard.promote.holdout or data.validation",
        guard.promote().champion().orElse(""));
    InvalidInputException.check(
        data.task() == Task.CLASSIFICATION || training.classWeights() instanceof ClassWeights.None,
        "Invalid training.class-weights: %s (class weights need data.task = classification, not %s)",
        training.classWeights(),
        data.task());
    if (training.earlyStopping() instanceof EarlyStopping.OnMetric rule) {
      Metric metric = rule.metric().metric();
      InvalidInputException.check(
          metric.fits(data.task()),
          "Invalid training.early-stopping.metric: %s (expected validation.<metric> or train.<metric>, e.g. validation.loss)",
          rule.metric());
      InvalidInputException.check(
          metric == Metric.LOSS || metrics.wants(metric),
          "Invalid training.early-stopping.metric: %s (add %s to metrics.names, which are %s)",
          rule.metric(),
          metric,
          metrics.names());
    }
  }
}

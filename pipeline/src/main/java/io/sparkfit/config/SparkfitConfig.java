package io.sparkfit.config;

/**
 * A job's whole configuration, validated: every value here has passed its precondition.
 *
 * <p>Built by {@link ConfigLoader}; immutable and serializable to executors as plain values.
 */
public record SparkfitConfig(
    DataConfig data,
    ModelConfig model,
    TrainingConfig training,
    MetricsConfig metrics,
    OutputConfig output,
    SparkSettings spark) {}

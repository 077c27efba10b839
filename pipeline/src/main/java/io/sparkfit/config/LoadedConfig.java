package io.sparkfit.config;

/**
 * A validated config together with its resolved form as JSON (defaults and overrides applied,
 * secrets masked), which is what provenance records and what a config hash is computed from.
 */
public record LoadedConfig(SparkfitConfig config, String resolvedJson) {}

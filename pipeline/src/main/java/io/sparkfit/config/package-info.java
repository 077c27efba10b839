/**
 * Job configuration: immutable records that validate themselves (each section its own values,
 * {@link io.sparkfit.config.SparkfitConfig} the ones that depend on each other), so a config built in
 * code passes the same checks as one read by {@link io.sparkfit.config.ConfigLoader}, which only
 * parses HOCON into them. {@link io.sparkfit.config.Metric} names every metric. Defaults live in
 * {@code defaults.conf} beside the loader. No Spark here.
 */
package io.sparkfit.config;

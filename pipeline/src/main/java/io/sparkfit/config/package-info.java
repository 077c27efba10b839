/**
 * Job configuration: HOCON read by {@link io.sparkfit.config.ConfigLoader} into immutable, validated
 * records. Defaults live in {@code defaults.conf} beside the loader. No Spark here.
 */
package io.sparkfit.config;

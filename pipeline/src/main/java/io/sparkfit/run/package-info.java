/**
 * A training run end to end: the SparkSession, the epoch loop, atomic output, {@code metrics.json}
 * and {@code provenance.json}.
 */
package io.sparkfit.run;

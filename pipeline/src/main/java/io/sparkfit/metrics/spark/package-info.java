/**
 * Metrics on Spark: the exactly-once accumulator, the distributed validation pass, the training
 * forward-pass listener, and the metrics sink that fast mode replaces with a no-op.
 */
package io.sparkfit.metrics.spark;

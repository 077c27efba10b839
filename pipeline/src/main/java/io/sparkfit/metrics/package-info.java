/**
 * The metric algebra, free of Spark: small immutable states with an identity, a per-minibatch update
 * ({@link io.sparkfit.metrics.Evaluator}), an associative and commutative merge, and their results
 * as typed values ({@link io.sparkfit.metrics.MetricValues}) for the metrics users ask for
 * ({@link io.sparkfit.config.Metric} names them all).
 */
package io.sparkfit.metrics;

/**
 * The metric algebra, free of Spark: small immutable states with an identity, a per-minibatch update
 * ({@link io.sparkfit.metrics.Evaluator}), an associative and commutative merge, and results rendered
 * by the names users ask for ({@link io.sparkfit.metrics.MetricResults}).
 */
package io.sparkfit.metrics;

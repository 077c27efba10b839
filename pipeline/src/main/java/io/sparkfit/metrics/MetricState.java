package io.sparkfit.metrics;

import java.io.Serializable;

/**
 * A metric's partial state: small, immutable and mergeable. Executors turn minibatches into states;
 * the driver merges them into exact results. {@link #merge} is associative and commutative, and the
 * state of no examples is its identity.
 *
 * <p>Implementations are serializable so they can travel in Spark accumulators and task results, and
 * free of Spark so they can be tested without it.
 */
public interface MetricState extends Serializable {

  /** The state of both inputs together. Both must be the same kind of state, of the same shape. */
  MetricState merge(MetricState other);

  /** Number of examples this state has seen. */
  long count();
}

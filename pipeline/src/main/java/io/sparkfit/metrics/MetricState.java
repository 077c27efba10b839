package io.sparkfit.metrics;

import java.io.Serializable;
import java.util.Map;

/**
 * A metric's partial state: small, immutable and mergeable. Executors turn minibatches into states;
 * the driver merges them into exact results. {@link #merge} is associative and commutative, and a
 * state made from no examples is its identity.
 *
 * <p>Implementations are serializable so they can travel in Spark accumulators and task results.
 */
public interface MetricState extends Serializable {

  /** The state of both inputs together. Both must be the same kind of state. */
  MetricState merge(MetricState other);

  /** Number of examples this state has seen. */
  long count();

  /** Results by metric name, e.g. {@code accuracy -> 0.91}; NaN where no example was seen. */
  Map<String, Double> results();
}

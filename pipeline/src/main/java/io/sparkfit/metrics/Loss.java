package io.sparkfit.metrics;

/** A loss state, counted ({@link LossState}) or weighted ({@link WeightedLossState}), whose units can change. */
public interface Loss extends MetricState, MeanValue {
  /** The same losses multiplied by {@code factor}, e.g. to change units. */
  Loss scaled(double factor);
}

package io.sparkfit.metrics;

/**
 * A state whose metric is one mean: a loss ({@link LossState}, {@link WeightedLossState}) or an
 * accuracy ({@link AccuracyState}, {@link WeightedAccuracyState}), counted or weighted. NaN over no
 * examples (or no weight).
 */
public interface MeanValue {
  double mean();
}

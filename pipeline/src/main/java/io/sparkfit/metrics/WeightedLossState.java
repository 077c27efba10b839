package io.sparkfit.metrics;

import io.sparkfit.features.ExactSum;

/**
 * A weighted mean loss as exact sums {@code (Σ w·loss, Σ w)} and the examples' count: the mean is
 * {@code Σ w·loss / Σ w}, as scikit-learn's {@code log_loss} and {@code mean_squared_error} weigh
 * with {@code sample_weight}, whatever the split and order of the examples.
 */
public final class WeightedLossState implements Loss {
  private static final long serialVersionUID = 1L;
  private final ExactSum weightedSum;
  private final ExactSum weights;
  private final long count;

  WeightedLossState(ExactSum weightedSum, ExactSum weights, long count) {
    this.weightedSum = weightedSum;
    this.weights = weights;
    this.count = count;
  }

  /**
   * The state of losses already summed with their weights: e.g. a worker's training minibatches,
   * whose loss DL4J gives as {@code Σ w·loss / n}.
   */
  public static WeightedLossState of(double weightedSum, double weights, long count) {
    ExactSum s = new ExactSum();
    s.add(weightedSum);
    ExactSum w = new ExactSum();
    w.add(weights);
    return new WeightedLossState(s, w, count);
  }

  @Override
  public WeightedLossState scaled(double factor) {
    return of(weightedSum.value() * factor, weights.value(), count);
  }

  @Override
  public WeightedLossState merge(MetricState other) {
    WeightedLossState o = (WeightedLossState) other;
    return new WeightedLossState(weightedSum.copy().merge(o.weightedSum), weights.copy().merge(o.weights), count + o.count);
  }

  @Override
  public long count() {
    return count;
  }

  /** The weighted mean loss; NaN over no weight. */
  @Override
  public double mean() {
    double w = weights.value();
    return w == 0 ? Double.NaN : weightedSum.value() / w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedLossState other
        && count == other.count
        && Double.compare(weightedSum.value(), other.weightedSum.value()) == 0
        && Double.compare(weights.value(), other.weights.value()) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(count, weightedSum.value(), weights.value());
  }

  @Override
  public String toString() {
    return "WeightedLossState[sum=" + weightedSum.value() + ", weights=" + weights.value() + ", count=" + count + "]";
  }
}

package io.sparkfit.metrics;

import io.sparkfit.features.ExactSum;

/**
 * Accuracy over weighted examples ({@code data.weight-column}): the exact sums of the weights of the
 * examples counted correct and of all examples, so the result does not depend on how the examples
 * were split or in which order they merged. With {@code k > 1}, top-k accuracy.
 */
public final class WeightedAccuracyState implements MetricState, MeanValue {
  private static final long serialVersionUID = 1L;
  private final int k;
  private final ExactSum correct;
  private final ExactSum total;
  private final long count;

  WeightedAccuracyState(int k, ExactSum correct, ExactSum total, long count) {
    this.k = k;
    this.correct = correct;
    this.total = total;
    this.count = count;
  }

  public int k() {
    return k;
  }

  @Override
  public WeightedAccuracyState merge(MetricState other) {
    WeightedAccuracyState o = (WeightedAccuracyState) other;
    if (o.k != k) {
      throw new IllegalArgumentException("Cannot merge top-" + k + " with top-" + o.k + " accuracy");
    }
    return new WeightedAccuracyState(k, correct.copy().merge(o.correct), total.copy().merge(o.total), count + o.count);
  }

  @Override
  public long count() {
    return count;
  }

  /** The weights' sum of all examples. */
  public double weight() {
    return total.value();
  }

  /** The weighted share of examples whose class was among the {@code k} most probable; NaN over no weight. */
  public double accuracy() {
    double w = total.value();
    return w == 0 ? Double.NaN : correct.value() / w;
  }

  @Override
  public double mean() {
    return accuracy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedAccuracyState other
        && k == other.k
        && count == other.count
        && Double.compare(correct.value(), other.correct.value()) == 0
        && Double.compare(total.value(), other.total.value()) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(k, count, correct.value(), total.value());
  }

  @Override
  public String toString() {
    return "WeightedAccuracyState[k=" + k + ", correct=" + correct.value() + ", total=" + total.value() + ", count=" + count + "]";
  }
}

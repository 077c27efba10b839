package io.sparkfit.metrics;

/** Accuracy as {@code (correct, total)}; with {@code k > 1}, top-k accuracy. */
public record AccuracyState(int k, long correct, long total) implements MetricState, MeanValue {

  public static AccuracyState empty(int k) {
    return new AccuracyState(k, 0, 0);
  }

  @Override
  public AccuracyState merge(MetricState other) {
    AccuracyState o = (AccuracyState) other;
    if (o.k != k) {
      throw new IllegalArgumentException("Cannot merge top-" + k + " with top-" + o.k + " accuracy");
    }
    return new AccuracyState(k, correct + o.correct, total + o.total);
  }

  @Override
  public long count() {
    return total;
  }

  /** The share of examples whose class was among the {@code k} most probable; NaN over none. */
  public double accuracy() {
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  @Override
  public double mean() {
    return accuracy();
  }
}

package io.sparkfit.metrics;

import java.util.Map;

/** Accuracy as {@code (correct, total)}. */
public record AccuracyState(long correct, long total) implements MetricState {
  public static final String NAME = "accuracy";
  public static final AccuracyState EMPTY = new AccuracyState(0, 0);

  @Override
  public AccuracyState merge(MetricState other) {
    AccuracyState o = (AccuracyState) other;
    return new AccuracyState(correct + o.correct, total + o.total);
  }

  @Override
  public long count() {
    return total;
  }

  @Override
  public Map<String, Double> results() {
    return Map.of(NAME, total == 0 ? Double.NaN : (double) correct / total);
  }
}

package io.sparkfit.testing;

import io.sparkfit.config.Metric;
import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.Task;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import java.util.List;
import java.util.Map;

/** Evaluators and results for tests, by metric names. */
public final class TestMetrics {
  private TestMetrics() {}

  public static MetricsConfig config(List<String> names) {
    return new MetricsConfig(MetricsConfig.Mode.FULL, metrics(names), 1, 1000, 2, java.util.List.of(), 10);
  }

  /** The metrics of these names. */
  public static List<Metric> metrics(List<String> names) {
    return names.stream().map(n -> Metric.named(n).orElseThrow(() -> new IllegalArgumentException("no metric " + n))).toList();
  }

  public static Evaluator classifier(int classes, String... names) {
    return Evaluator.of(config(List.of(names)), Task.CLASSIFICATION, classes, 0, 1);
  }

  /** Scalar results of a classifier's metric set, with classes named by their index. */
  public static Map<String, Double> scalars(MetricSet set, int classes, String... names) {
    List<Object> labels = java.util.stream.IntStream.range(0, classes).boxed().map(i -> (Object) i).toList();
    Map<String, Double> byName = new java.util.LinkedHashMap<>();
    new MetricResults(metrics(List.of(names)), labels).scalars(set).forEach((metric, v) -> byName.put(metric.key(), v));
    return byName;
  }
}

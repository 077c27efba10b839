package io.sparkfit.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of each slice ({@code metrics.slices}): per slice column, in config order, per slice
 * name (its kept values, then "(other)" and "(null)"), a block of the same metrics as the whole data's.
 */
public record SliceMetrics(Map<String, Map<String, MetricValues>> byColumn) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SliceMetrics NONE = new SliceMetrics(Map.of());

  public SliceMetrics {
    Map<String, Map<String, MetricValues>> copy = new LinkedHashMap<>();
    byColumn.forEach((column, slices) -> copy.put(column, Collections.unmodifiableMap(new LinkedHashMap<>(slices))));
    byColumn = Collections.unmodifiableMap(copy);
  }

  /** No slice columns. */
  public static SliceMetrics none() {
    return NONE;
  }

  public boolean isEmpty() {
    return byColumn.isEmpty();
  }

  /** {@code {"country": {"fr": {...block...}, "(other)": {...}}}}, as {@code metrics.json} holds it under {@code "slices"}. */
  public ObjectNode toJson() {
    ObjectNode bySlice = JSON.createObjectNode();
    byColumn.forEach(
        (column, values) -> {
          ObjectNode byValue = bySlice.putObject(column);
          values.forEach((value, block) -> byValue.set(value, block.toJson()));
        });
    return bySlice;
  }
}

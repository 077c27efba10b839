package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.MetricSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Carries {@link MetricSet}s from tasks to the driver, counting each partition exactly once.
 *
 * <p>A plain accumulator adds every successful attempt's updates, so a re-run shuffle-map stage or a
 * speculative copy counts its partition twice. Here each task's updates sit under the key
 * (stage, partition) that produced them, and the driver's merge <em>replaces</em> by key: a repeated
 * attempt of the same partition overwrites the first rather than adding to it. Register it with a
 * name starting {@code sparkfit.} so it shows in the Spark UI.
 */
public final class MetricsAccumulator extends AccumulatorV2<MetricSet, MetricSet> {
  private static final long serialVersionUID = 1L;
  /** The key of updates made outside any Spark task, e.g. on the driver. */
  private static final TaskKey DRIVER = new TaskKey(-1, -1);

  private final HashMap<TaskKey, MetricSet> byTask = new HashMap<>();

  /** Where a set of updates came from: one partition of one stage. */
  record TaskKey(int stage, int partition) implements java.io.Serializable {}

  @Override
  public boolean isZero() {
    return byTask.isEmpty();
  }

  @Override
  public MetricsAccumulator copy() {
    MetricsAccumulator copy = new MetricsAccumulator();
    copy.byTask.putAll(byTask);
    return copy;
  }

  @Override
  public void reset() {
    byTask.clear();
  }

  @Override
  public void add(MetricSet update) {
    TaskContext task = TaskContext.get();
    TaskKey key = task == null ? DRIVER : new TaskKey(task.stageId(), task.partitionId());
    byTask.merge(key, update, MetricSet::merge);
  }

  @Override
  public void merge(AccumulatorV2<MetricSet, MetricSet> other) {
    MetricsAccumulator o = (MetricsAccumulator) other;
    for (Map.Entry<TaskKey, MetricSet> e : o.byTask.entrySet()) {
      if (e.getKey().equals(DRIVER)) {
        byTask.merge(DRIVER, e.getValue(), MetricSet::merge);
      } else {
        byTask.put(e.getKey(), e.getValue());
      }
    }
  }

  /** Stands in for an update made inside the task with this key. */
  void putForTest(TaskKey key, MetricSet update) {
    byTask.merge(key, update, MetricSet::merge);
  }

  @Override
  public MetricSet value() {
    MetricSet total = MetricSet.empty();
    for (MetricSet s : byTask.values()) {
      total = total.merge(s);
    }
    return total;
  }
}

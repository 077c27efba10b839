package io.sparkfit.metrics.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import org.junit.jupiter.api.Test;

class MetricsAccumulatorTest {

  private static MetricSet loss(double sum, long count) {
    return MetricSet.of(MetricSet.LOSS, new LossState(sum, count));
  }

  @Test
  void addsWithinATaskAndMergesAcrossTasks() {
    // Outside a Spark task, updates go under the driver's key and add up.
    MetricsAccumulator acc = new MetricsAccumulator();
    assertThat(acc.isZero()).isTrue();
    acc.add(loss(1.0, 2));
    acc.add(loss(3.0, 2));
    assertThat(acc.value()).isEqualTo(loss(4.0, 4));

    MetricsAccumulator driver = new MetricsAccumulator();
    driver.merge(acc);
    driver.merge(acc.copy());
    // Driver-side updates are not attempts of one task: they add.
    assertThat(driver.value()).isEqualTo(loss(8.0, 8));
    driver.reset();
    assertThat(driver.isZero()).isTrue();
    assertThat(driver.value()).isEqualTo(MetricSet.empty());
  }

  /** What the driver sees from a re-run stage or a speculative copy: two successful attempts of one task. */
  @Test
  void aRepeatedAttemptOfTheSamePartitionReplacesRatherThanAdds() {
    MetricsAccumulator firstAttempt = taskUpdate(3, 0, loss(5.0, 10));
    MetricsAccumulator secondAttempt = taskUpdate(3, 0, loss(5.0, 10));
    MetricsAccumulator otherPartition = taskUpdate(3, 1, loss(1.0, 4));

    MetricsAccumulator driver = new MetricsAccumulator();
    driver.merge(firstAttempt);
    driver.merge(otherPartition);
    driver.merge(secondAttempt);
    assertThat(driver.value()).isEqualTo(loss(6.0, 14));
  }

  private static MetricsAccumulator taskUpdate(int stage, int partition, MetricSet update) {
    MetricsAccumulator acc = new MetricsAccumulator();
    acc.putForTest(new MetricsAccumulator.TaskKey(stage, partition), update);
    return acc;
  }
}

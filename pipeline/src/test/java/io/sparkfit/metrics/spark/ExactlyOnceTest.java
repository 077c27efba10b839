package io.sparkfit.metrics.spark;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Metric updates made in a shuffle-map stage (as DL4J's {@code treeAggregate} makes them) count once
 * per partition even when Spark runs the stage again.
 *
 * <p>Each test counts the rows with a {@link MetricsAccumulator} and, beside it, with a plain
 * {@link LongAccumulator}. Spark adds a shuffle-map task's updates on every successful attempt, so the
 * plain accumulator over-counts in exactly these scenarios: the assertions on it show the scenario
 * really re-ran work, and so that the assertion on ours could fail.
 *
 * <p>Speculative copies are the other way a shuffle-map task succeeds twice. Spark launches a
 * speculative copy only on another host than the running attempt ({@code TaskSetManager
 * .hasAttemptOnHost}), so on one machine it never does; the driver-side effect, two successful
 * attempts of one (stage, partition), is covered by {@code MetricsAccumulatorTest}.
 */
@SparkTied
class ExactlyOnceTest {
  private static final int ROWS = 1000;
  private static SparkSession spark;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    // Up to 4 attempts per task.
    spark = SparkTestSession.start("local[2,4]");
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Rows tallied in the map stage: ours by (stage, partition), the plain one by adding. */
  private record Counters(MetricsAccumulator ours, LongAccumulator plain) implements java.io.Serializable {
    static Counters register(String name) {
      MetricsAccumulator ours = new MetricsAccumulator();
      sc.sc().register(ours, "sparkfit." + name);
      return new Counters(ours, sc.sc().longAccumulator("plain." + name));
    }

    long oursCount() {
      return ours.value().count();
    }
  }

  private static JavaPairRDD<Integer, Integer> tallied(Counters counters, int partitions) {
    JavaRDD<Integer> rows = sc.parallelize(IntStream.range(0, ROWS).boxed().toList(), partitions);
    return rows.mapPartitionsToPair(
        it -> {
          List<Tuple2<Integer, Integer>> out = new ArrayList<>();
          it.forEachRemaining(i -> out.add(new Tuple2<>(i % 2, i)));
          counters.ours().add(MetricSet.of(MetricSet.LOSS, new LossState(out.size(), out.size())));
          counters.plain().add(out.size());
          return out.iterator();
        });
  }

  @Test
  void aShuffleMapStageRunAgainAfterAFetchFailureCountsOnce() {
    Counters counters = Counters.register("fetch-failure");
    JavaPairRDD<Integer, Integer> shuffled = tallied(counters, 4).partitionBy(new HashPartitioner(2));
    int shuffleId = ((ShuffleDependency<?, ?, ?>) shuffled.rdd().dependencies().head()).shuffleId();
    long rows =
        shuffled
            .mapPartitionsWithIndex(
                (index, it) -> {
                  TaskContext task = TaskContext.get();
                  if (index == 0 && task.stageAttemptNumber() == 0) {
                    // As if map output 0 were lost: Spark re-runs that map task in a new stage attempt.
                    throw new FetchFailedException(
                        SparkEnv.get().blockManager().blockManagerId(), shuffleId, -1L, 0, index, "injected by the test", null);
                  }
                  long n = 0;
                  while (it.hasNext()) {
                    it.next();
                    n++;
                  }
                  return List.of(n).iterator();
                },
                false)
            .reduce(Long::sum);
    assertThat(rows).isEqualTo(ROWS);
    assertThat(counters.plain().value()).as("the plain accumulator counts map task 0 twice").isGreaterThan(ROWS);
    assertThat(counters.oursCount()).isEqualTo(ROWS);
  }
}

package io.sparkfit.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;

/** Which of Sparkfit's accumulators ({@code sparkfit.*}) the stages of some work updated. */
public final class SparkAccumulators {
  private SparkAccumulators() {}

  /** Work a test runs, which may throw. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  public static Set<String> updatedDuring(SparkSession spark, Work work) throws Exception {
    Set<String> names = ConcurrentHashMap.newKeySet();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onStageCompleted(SparkListenerStageCompleted completed) {
            scala.collection.JavaConverters.asJavaCollection(completed.stageInfo().accumulables().values())
                .forEach(a -> a.name().filter(n -> n.startsWith("sparkfit.")).foreach(n -> names.add(n)));
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      work.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    return names;
  }
}

package io.sparkfit.testing;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/** Counts the Spark jobs a piece of work starts: how tests show that a step adds no pass over the data. */
public final class SparkJobs {
  private SparkJobs() {}

  /** The jobs started while {@code work} ran. */
  public static int during(SparkSession spark, Runnable work) {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            jobs.incrementAndGet();
          }
        };
    try {
      // The listener bus is asynchronous: wait until it has delivered every earlier event, then every one of the work's.
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().addSparkListener(listener);
      work.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    return jobs.get();
  }
}

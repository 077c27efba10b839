package io.sparkfit.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession a test class shares: {@code local[2]}, UI off, bound to 127.0.0.1, few
 * shuffle partitions. Most test classes get it by extending {@link SharedSparkSession}.
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  public static SparkSession start() {
    return start("local[2]");
  }

  public static SparkSession start(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("sparkfit-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .getOrCreate();
  }
}

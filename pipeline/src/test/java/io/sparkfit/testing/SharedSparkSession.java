package io.sparkfit.testing;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A base for test classes that share one {@link SparkTestSession} ({@code local[2]}) across their tests. */
public abstract class SharedSparkSession {
  protected static SparkSession spark;
  protected static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    spark = SparkTestSession.start();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }
}

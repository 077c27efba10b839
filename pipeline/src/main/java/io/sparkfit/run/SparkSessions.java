package io.sparkfit.run;

import io.sparkfit.config.SparkSettings;
import org.apache.spark.BarrierTaskContext$;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates the job's SparkSession from config, deferring to whatever spark-submit already set. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Builds the session. {@code spark.master} from config applies only when no master was set (by
   * spark-submit or a system property); {@code spark.conf} entries fill in what spark-submit's own
   * {@code --conf} settings left open.
   */
  public static SparkSession create(SparkSettings settings) {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.master", settings.master());
    conf.setIfMissing("spark.app.name", settings.appName());
    settings.conf().forEach(conf::setIfMissing);
    // ND4J's OpenMP pool defaults to one thread per core in every task; with several tasks per
    // executor that oversubscribes the cores (epochs 2-5x slower). One task's share is its cpus.
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Stops the session, and the timer thread of Spark's barrier mode. Spark starts that timer (not a
   * daemon) in any JVM that runs a barrier task and never stops it, so after training in local mode
   * it would keep the driver's JVM alive once {@code main} has returned. Sparkfit's tasks never call
   * {@code barrier()} or {@code allGather()}, the only users of the timer.
   */
  public static void stop(SparkSession spark) {
    spark.stop();
    BarrierTaskContext$.MODULE$.org$apache$spark$BarrierTaskContext$$timer().cancel();
  }
}

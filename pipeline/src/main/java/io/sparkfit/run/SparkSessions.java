package io.sparkfit.run;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.SparkSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Pattern;
import org.apache.spark.BarrierTaskContext$;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates the job's SparkSession from config, deferring to whatever spark-submit already set. */
public final class SparkSessions {
  /** The masters Spark knows (its SparkMasterRegex, and the cluster managers it ships). */
  private static final Pattern MASTER =
      Pattern.compile(
          "local|local\\[([0-9]+|\\*)]|local\\[([0-9]+|\\*)\\s*,\\s*[0-9]+]|local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]"
              + "|spark://.+|yarn|k8s://.+");
  private static final String MASTERS = "local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT, yarn or k8s://URL";
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private SparkSessions() {}

  /**
   * Builds the session. {@code spark.master} from config applies only when no master was set (by
   * spark-submit or a system property); {@code spark.conf} entries fill in what spark-submit's own
   * {@code --conf} settings left open. A master Spark does not know, a standalone master nobody
   * answers at, and any failure to start Spark are one-line errors naming the master.
   */
  public static SparkSession create(SparkSettings settings) {
    SparkConf conf = conf(settings);
    String master = conf.get("spark.master");
    checkMaster(master);
    try {
      return SparkSession.builder().config(conf).getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      throw InvalidInputException.of("Cannot start Spark with spark.master = %s: %s", master, Failures.rootMessage(e));
    }
  }

  /**
   * The Hadoop configuration the session will start with, without starting it: Hadoop's defaults and
   * site files (from {@code HADOOP_CONF_DIR} on the classpath, as spark-submit puts it), then every
   * {@code spark.hadoop.*} setting, as Spark copies them. For the checks a job makes before Spark
   * starts; the session's own configuration stays the one every read and write uses.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConfiguration(SparkSettings settings) {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    for (scala.Tuple2<String, String> setting : conf(settings).getAll()) {
      if (setting._1().startsWith("spark.hadoop.")) {
        hadoop.set(setting._1().substring("spark.hadoop.".length()), setting._2());
      }
    }
    return hadoop;
  }

  /** The settings the session starts with: spark-submit's and system properties', then config's, then Sparkfit's defaults. */
  static SparkConf conf(SparkSettings settings) {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.master", settings.master());
    conf.setIfMissing("spark.app.name", settings.appName());
    settings.conf().forEach(conf::setIfMissing);
    // ND4J's OpenMP pool defaults to one thread per core in every task; with several tasks per
    // executor that oversubscribes the cores (epochs 2-5x slower). One task's share is its cpus.
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
    // Spark's Java serialization stream keeps every object it wrote reachable until it resets, every
    // 100 objects by default. The objects Sparkfit streams to disk are large (cached column batches
    // of up to 4 MB, packed minibatches): 100 of them held 400 MB per task, and 480,000 rows of 784
    // values ran a 1 GB heap out of memory. Reset after each; they are too large for it to cost.
    conf.setIfMissing("spark.serializer.objectStreamReset", "1");
    return conf;
  }

  /**
   * Fails in one line for a master Spark would not parse, and for a standalone master whose hosts
   * do not answer (Spark itself retries for a minute and then stops the context under the job).
   */
  static void checkMaster(String master) {
    InvalidInputException.check(MASTER.matcher(master.trim()).matches(), "Invalid spark.master: %s (must be %s)", master, MASTERS);
    if (!master.startsWith("spark://")) {
      return;
    }
    String unreachable = null;
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      InvalidInputException.check(
          colon > 0 && hostPort.substring(colon + 1).matches("[0-9]+"), "Invalid spark.master: %s (%s has no port)", master, hostPort);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), CONNECT_TIMEOUT_MS);
        return; // one master of a list answering is enough: Spark finds the leader
      } catch (IOException | IllegalArgumentException e) {
        unreachable = hostPort + ": " + Failures.rootMessage(e);
      }
    }
    throw InvalidInputException.of("Cannot reach the Spark master of spark.master = %s (%s)", master, unreachable);
  }

  /**
   * Stops the session, and the timer thread of Spark's barrier mode. Spark starts that timer (not a
   * daemon) in any JVM that runs a barrier task and never stops it, so after training in local mode
   * it would keep the driver's JVM alive once {@code main} has returned. Sparkfit's tasks never call
   * {@code barrier()} or {@code allGather()}, the only users of the timer.
   */
  public static void stop(SparkSession spark) {
    spark.stop();
    // A java.util.Timer in Spark 3.5, a ScheduledThreadPoolExecutor in Spark 4: stopped either way.
    Object timer = BarrierTaskContext$.MODULE$.org$apache$spark$BarrierTaskContext$$timer();
    if (timer instanceof java.util.Timer t) {
      t.cancel();
    } else if (timer instanceof java.util.concurrent.ExecutorService executor) {
      executor.shutdownNow();
    }
  }
}

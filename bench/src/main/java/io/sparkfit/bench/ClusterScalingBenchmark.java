package io.sparkfit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.testing.SparkSubmitCommand;
import io.sparkfit.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How training time and executor memory grow with data and with workers, on a Spark standalone
 * cluster of two Workers with one core each, started on this machine from the jars. Each run submits
 * the shaded jar with {@code SparkSubmit}; one worker is the same cluster capped by
 * {@code spark.cores.max=1}. Executor memory is each executor process's peak resident set
 * ({@code VmHWM}), which counts ND4J's off-heap arrays as well as the Java heap.
 *
 * <p>Arguments: {@code [--size N] [--epochs N] [--executor-gb N] [--over-memory N]}: the large size
 * (default 10, against 1); executor heap (default 2 GB); {@code --over-memory N} adds one epoch on one worker over N×8,000 rows with a 1 GB executor, whose
 * minibatches are then several times its storage memory (reported).
 */
public final class ClusterScalingBenchmark {
  private static final long SEED = 7;
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int workers, int size, int rows, double secondsPerEpoch, double firstEpochSeconds, long peakExecutorMb, int executorGb) {}

  /** Spark's unified (execution and storage) memory of an executor heap: (heap - 300 MB) x spark.memory.fraction 0.6. */
  static double storageMemoryMb(int heapGb) {
    return (heapGb * 1024 - 300) * 0.6;
  }

  public static void main(String[] args) throws Exception {
    Map<String, Integer> opts = MetricsModesBenchmark.options(args);
    int large = opts.getOrDefault("size", 10);
    int epochs = opts.getOrDefault("epochs", 4);
    int overMemory = opts.getOrDefault("over-memory", 0);
    int executorGb = opts.getOrDefault("executor-gb", 2);
    Path work = Path.of("bench/work/cluster").toAbsolutePath();
    Files.createDirectories(work);

    SparkSession spark = BenchData.session();
    try {
      for (int size : List.of(1, large)) {
        BenchData.write(spark, work.resolve("data-" + size).toString(), 8000 * size, SEED);
      }
      if (overMemory > 0) {
        // The large data repeated: generating it whole on the driver would need its size in heap.
        Dataset<Row> rows = spark.read().parquet(work.resolve("data-" + large).resolve("train").toString());
        Dataset<Row> repeated = rows;
        for (int copies = large; copies + large <= overMemory; copies += large) {
          repeated = repeated.union(rows);
        }
        Path big = work.resolve("data-" + overMemory);
        repeated.write().mode("overwrite").parquet(big.resolve("train").toString());
        spark.read().parquet(work.resolve("data-" + large).resolve("validation").toString())
            .write().mode("overwrite").parquet(big.resolve("validation").toString());
      }
    } finally {
      SparkSessions.stop(spark);
    }

    List<Run> runs = new ArrayList<>();
    try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1, "3g")) {
      for (int size : List.of(1, large)) {
        for (int workers : List.of(1, 2)) {
          runs.add(run(cluster, work, size, workers, epochs, executorGb));
        }
      }
      if (overMemory > 0) {
        runs.add(run(cluster, work, overMemory, 1, 1, 1));
      }
    }
    report(runs, epochs);
  }

  private static Run run(StandaloneCluster cluster, Path work, int size, int workers, int epochs, int executorGb) throws Exception {
    Path data = work.resolve("data-" + size);
    Path out = work.resolve("out-" + size + "x-" + workers + "w");
    Path config = work.resolve("cluster.conf");
    Files.writeString(
        config,
        String.format(
            Locale.ROOT,
            """
            data { train = "%s/train", validation = "%s/validation", features = [pixels], label = digit }
            model { layers = [ { type = dense, units = 128, activation = relu } ], updater { type = adam, learning-rate = 0.001 } }
            training { epochs = %d, batch-size-per-worker = 64, averaging-frequency = 5 }
            metrics { mode = fast }
            output { dir = "%s", overwrite = true }
            """,
            data, data, epochs, out));
    ProcessBuilder submit =
        SparkSubmitCommand.create(
            cluster.masterUrl(),
            "io.sparkfit.jobs.TrainJob",
            List.of("spark.cores.max=" + workers, "spark.executor.cores=1", "spark.executor.memory=" + executorGb + "g"),
            List.of(config.toString()));
    Path log = work.resolve("submit-" + size + "x-" + workers + "w.log");
    submit.redirectErrorStream(true).redirectOutput(log.toFile());
    Map<Long, Long> peakKb = new ConcurrentHashMap<>();
    Process driver = submit.start();
    while (!driver.waitFor(250, TimeUnit.MILLISECONDS)) {
      for (Process worker : cluster.workers()) {
        worker.descendants().forEach(p -> peakResidentKb(p.pid()).ifPresent(kb -> peakKb.merge(p.pid(), kb, Math::max)));
      }
    }
    if (driver.exitValue() != 0) {
      throw new IllegalStateException("Training on the cluster failed (exit " + driver.exitValue() + "); see " + log);
    }
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    List<Double> seconds = new ArrayList<>();
    metrics.get("epochs").forEach(e -> seconds.add(e.get("seconds").asDouble()));
    double rest = seconds.subList(Math.min(1, seconds.size() - 1), seconds.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    long peakMb = peakKb.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1024;
    long rows = metrics.at("/epochs/0/train/count").asLong();
    return new Run(workers, size, (int) rows, rest, seconds.get(0), peakMb, executorGb);
  }

  /** The process's peak resident set ({@code VmHWM} in {@code /proc/PID/status}), if it still runs. */
  private static java.util.Optional<Long> peakResidentKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return java.util.Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended between listing and reading.
    }
    return java.util.Optional.empty();
  }

  private static void report(List<Run> runs, int epochs) throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT, "Spark standalone, 2 Workers x 1 core on one %d-core machine; 784-128-10 MLP, Adam, batch 64, %d epochs, metrics fast%n", cores, epochs);
    System.out.printf(
        Locale.ROOT, "%-8s %-5s %8s %9s %10s %12s %10s %14s %18s%n",
        "workers", "size", "rows", "s/epoch", "1st epoch", "examples/s", "executor", "peak exec MB", "data / storage mem");
    StringBuilder csv =
        new StringBuilder(
            "workers,size,rows,seconds_per_epoch,first_epoch_seconds,examples_per_second,executor_memory,peak_executor_rss_mb,"
                + "minibatch_mb,storage_memory_mb,epochs,cores\n");
    for (Run r : runs) {
      double perSecond = r.rows() / r.secondsPerEpoch();
      // The packed minibatches: 784 features and 10 one-hot labels as floats per row.
      double dataMb = r.rows() * (784 + 10) * 4.0 / 1e6;
      double storageMb = storageMemoryMb(r.executorGb());
      System.out.printf(
          Locale.ROOT, "%-8d %-5s %8d %9.3f %10.3f %12.0f %10s %14d %10.0f / %4.0f MB%n",
          r.workers(), r.size() + "x", r.rows(), r.secondsPerEpoch(), r.firstEpochSeconds(), perSecond, r.executorGb() + "g", r.peakExecutorMb(),
          dataMb, storageMb);
      csv.append(
          String.format(
              Locale.ROOT, "%d,%d,%d,%.4f,%.4f,%.1f,%s,%d,%.0f,%.0f,%d,%d%n",
              r.workers(), r.size(), r.rows(), r.secondsPerEpoch(), r.firstEpochSeconds(), perSecond, r.executorGb() + "g", r.peakExecutorMb(),
              dataMb, storageMb, epochs, cores));
    }
    BenchResults.write("cluster", csv.toString());
  }
}

package io.sparkfit.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1, started from the jars with no Spark distribution: a
 * Master and some Workers, each its own JVM. {@code SPARK_HOME} is a folder whose {@code jars/} links
 * to Spark's runtime jars, which is all a Worker needs to launch executors.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
  private static final long START_TIMEOUT_MS = 120_000;

  private final Path dir;
  private final Path sparkHome;
  private final Process master;
  private final String masterUrl;
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path dir, Path sparkHome, Process master, String masterUrl) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.master = master;
    this.masterUrl = masterUrl;
  }

  /** Starts a Master and {@code workers} Workers with {@code cores} cores and {@code memory} (e.g. "2g") each. */
  public static StandaloneCluster start(Path dir, int workers, int cores, String memory) throws IOException, InterruptedException {
    Path sparkHome = dir.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (Path jar : SparkSubmitCommand.sparkJars()) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    Path masterLog = dir.resolve("master.log");
    Process master =
        launch(sparkHome, masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
    String url = awaitLine(master, masterLog, MASTER_URL).group(1);
    StandaloneCluster cluster = new StandaloneCluster(dir, sparkHome, master, url);
    try {
      for (int i = 0; i < workers; i++) {
        cluster.addWorker(cores, memory);
      }
      cluster.awaitWorkers(workers);
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public String masterUrl() {
    return masterUrl;
  }

  public Path sparkHome() {
    return sparkHome;
  }

  /** The Workers' processes, in start order. */
  public List<Process> workers() {
    return List.copyOf(workers);
  }

  /** Kills a Worker (SIGKILL), as a lost machine would; its executors notice and exit. */
  public void killWorker(int index) {
    workers.get(index).destroyForcibly();
  }

  private void addWorker(int cores, String memory) throws IOException {
    int index = workers.size();
    Path workDir = Files.createDirectories(dir.resolve("worker-" + index));
    workers.add(
        launch(
            sparkHome,
            dir.resolve("worker-" + index + ".log"),
            "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
            "--cores", String.valueOf(cores), "--memory", memory,
            "--work-dir", workDir.toString(),
            masterUrl));
  }

  private void awaitWorkers(int count) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    Path log = dir.resolve("master.log");
    while (System.currentTimeMillis() < deadline) {
      long registered = Files.readAllLines(log).stream().filter(l -> l.contains("Registering worker")).count();
      if (registered >= count) {
        return;
      }
      if (!master.isAlive()) {
        throw new IllegalStateException("The Spark master exited; see " + log);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(count + " workers did not register in time; see " + dir);
  }

  private static Process launch(Path sparkHome, Path log, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(SparkSubmitCommand.java17Opens());
    cmd.addAll(SparkSubmitCommand.jitOptions());
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    // The Scala of this build's Spark (2.13, or 2.12 in the spark-3.5 build), for the Worker's launcher.
    pb.environment().put("SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb.start();
  }

  private static Matcher awaitLine(Process process, Path log, Pattern pattern) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            return m;
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Process exited before logging '" + pattern + "'; see " + log);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Timed out waiting for '" + pattern + "' in " + log);
  }

  /** Stops the Workers (which stop their executors) and the Master. */
  @Override
  public void close() {
    for (Process worker : workers) {
      stop(worker);
    }
    stop(master);
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

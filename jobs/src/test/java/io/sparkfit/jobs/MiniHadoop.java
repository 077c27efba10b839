package io.sparkfit.jobs;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * Hadoop's own mini clusters, in this JVM on 127.0.0.1: HDFS (a NameNode and a DataNode) and YARN
 * (a ResourceManager with the capacity scheduler, its queues as given, and one NodeManager), and a
 * {@code HADOOP_CONF_DIR} that points {@code spark-submit} at both, as a cluster's client config does.
 */
final class MiniHadoop implements AutoCloseable {
  /** The NodeManager's memory: each queue gets its share of it. */
  static final int NODE_MEMORY_MB = 8192;
  private static final Set<YarnApplicationState> ENDED =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  private final MiniDFSCluster dfs;
  private final MiniYARNCluster yarn;
  private final YarnClient client;
  private final Path confDir;

  private MiniHadoop(MiniDFSCluster dfs, MiniYARNCluster yarn, YarnClient client, Path confDir) {
    this.dfs = dfs;
    this.yarn = yarn;
    this.client = client;
    this.confDir = confDir;
  }

  /** Starts both, with the capacity scheduler's queues at {@code capacities} (percent, adding to 100) and no room to grow. */
  static MiniHadoop start(Path dir, Map<String, Integer> capacities) throws Exception {
    Configuration hdfsConf = new Configuration();
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(hdfsConf, dir.resolve("hdfs").toFile()).numDataNodes(1).build();
    try {
      return start(dir, capacities, dfs);
    } catch (Exception | Error e) {
      dfs.shutdown();
      throw e;
    }
  }

  private static MiniHadoop start(Path dir, Map<String, Integer> capacities, MiniDFSCluster dfs) throws Exception {
    dfs.waitActive();

    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", dfs.getURI().toString());
    conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler");
    conf.set("yarn.scheduler.capacity.root.queues", String.join(",", capacities.keySet()));
    capacities.forEach(
        (queue, percent) -> {
          String prefix = "yarn.scheduler.capacity.root." + queue;
          conf.setInt(prefix + ".capacity", percent);
          conf.setInt(prefix + ".maximum-capacity", percent);
        });
    // An application master may take all of its queue: the limit here is the executors'.
    conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    // The mini cluster sets the NodeManager's memory from its own key (4 GB unless told).
    conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, NODE_MEMORY_MB);
    conf.setInt(YarnConfiguration.NM_VCORES, 8);
    // NodeManagers report (and are given containers) every second by default: every launch waits for it.
    conf.setLong("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 250);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
    // Containers are JVMs that map far more virtual memory than they use; ND4J's off-heap is not heap.
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // A developer's nearly full disk must not mark the only node unhealthy.
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
    // The mini cluster works under target/<name> of the working directory: one name per build.
    MiniYARNCluster yarn = new MiniYARNCluster("sparkfit-yarn-" + System.getProperty("sparkfit.build", "default"), 1, 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    try {
      return started(dir, dfs, yarn);
    } catch (Exception | Error e) {
      yarn.stop();
      throw e;
    }
  }

  private static MiniHadoop started(Path dir, MiniDFSCluster dfs, MiniYARNCluster yarn) throws Exception {
    Configuration started = yarn.getConfig();
    // The ResourceManager publishes its real port after start() returns (Spark's own YARN suite waits likewise).
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (started.get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The ResourceManager did not publish its address");
      }
      Thread.sleep(100);
    }
    if (!yarn.waitForNodeManagersToConnect(60_000)) {
      throw new IllegalStateException("The NodeManager did not register with the ResourceManager");
    }

    Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", dfs.getURI().toString());
    writeXml(core, confDir.resolve("core-site.xml"));
    writeXml(started, confDir.resolve("yarn-site.xml"));
    YarnClient client = YarnClient.createYarnClient();
    client.init(started);
    client.start();
    return new MiniHadoop(dfs, yarn, client, confDir);
  }

  private static void writeXml(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  /** The folder to give {@code spark-submit} as {@code HADOOP_CONF_DIR}. */
  Path confDir() {
    return confDir;
  }

  FileSystem fs() throws IOException {
    return dfs.getFileSystem();
  }

  /** {@code path} on this HDFS, as a full {@code hdfs://} URI. */
  String hdfs(String path) {
    return dfs.getURI().toString() + path;
  }

  /** The applications YARN has seen, newest last. */
  List<ApplicationReport> applications() throws Exception {
    return client.getApplications().stream().sorted((a, b) -> a.getApplicationId().compareTo(b.getApplicationId())).toList();
  }

  /** Waits until {@code id} has ended (finished, failed or killed) and returns its report. */
  ApplicationReport awaitEnded(ApplicationId id) throws Exception {
    for (int i = 0; i < 1200; i++) {
      ApplicationReport report = client.getApplicationReport(id);
      if (ENDED.contains(report.getYarnApplicationState())) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("YARN application " + id + " did not end: " + client.getApplicationReport(id).getYarnApplicationState());
  }

  /**
   * The containers the NodeManager ran for {@code id}, by container id: their log folders (stdout,
   * stderr), which the NodeManager keeps after the application ends.
   */
  Map<String, Path> containerLogs(ApplicationId id) {
    Map<String, Path> containers = new LinkedHashMap<>();
    // Only the NodeManager's log folders: its local folders hold containers' working copies, which
    // it deletes as the application ends.
    try (Stream<Path> paths = Files.walk(yarn.getTestWorkDir().toPath())) {
      paths
          .filter(Files::isDirectory)
          .filter(p -> p.getParent() != null && p.getParent().getParent() != null
              && p.getParent().getParent().getFileName().toString().contains("-logDir-"))
          .filter(p -> p.getFileName().toString().startsWith("container_"))
          .filter(p -> p.getParent().getFileName().toString().equals(id.toString()))
          .sorted()
          .forEach(p -> containers.put(p.getFileName().toString(), p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return containers;
  }

  /** Kills {@code id} unless it has ended: a test that gave up on a submission leaves no containers running. */
  void killIfRunning(ApplicationId id) throws Exception {
    if (!ENDED.contains(client.getApplicationReport(id).getYarnApplicationState())) {
      client.killApplication(id);
    }
  }

  /** Stops both clusters and removes the YARN work folder (each run localizes the job jar there). */
  @Override
  public void close() {
    File work = yarn.getTestWorkDir();
    client.stop();
    yarn.stop();
    dfs.shutdown();
    try (Stream<Path> paths = Files.walk(work.toPath())) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the mini cluster's folder " + work, e);
    }
  }
}

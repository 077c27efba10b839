package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.testing.CheckpointEpochs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SparkSubmitCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar under {@code spark-submit --master yarn}, in client and cluster deploy modes, on
 * Hadoop's own MiniDFSCluster and MiniYARNCluster: training data and every output on {@code hdfs://},
 * executors in YARN containers. One day of a scheduled retraining, in order: a model trains;
 * {@code evaluate} and {@code predict} read it back; tonight's rerun is killed mid-training and leaves
 * it intact; the next run resumes from the rerun's HDFS checkpoint in cluster mode; and a queue too
 * small for the barrier stage's executors fails in one line instead of waiting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnHdfsIT {
  /** These runs must last their epochs to be killed and resumed mid-way: no early stop. */
  private static final String EVERY_EPOCH = "training.early-stopping.metric=none";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRAIN = "io.sparkfit.jobs.TrainJob";
  /** 75% of the node for ordinary runs; 25% (2 GB) holds an application master and one executor, not two. */
  private static final Map<String, Integer> QUEUES = Map.of("default", 75, "small", 25);

  @TempDir static Path tmp;
  private static MiniHadoop hadoop;
  private static FileSystem fs;
  private static String data;
  private static String model;
  private static byte[] firstModel;

  @BeforeAll
  static void startHadoop() throws Exception {
    hadoop = MiniHadoop.start(tmp.resolve("hadoop"), QUEUES);
    fs = hadoop.fs();
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Repo.dataSamples().resolve("customers").toUri()), new org.apache.hadoop.fs.Path("/data/customers"));
    data = hadoop.hdfs("/data/customers");
    model = hadoop.hdfs("/models/customers");
  }

  @AfterAll
  static void stopHadoop() {
    if (hadoop != null) {
      hadoop.close();
    }
  }

  /** A {@code spark-submit --master yarn} of {@code jobClass}: two one-core executors, Spark's jars already on the node. */
  private static ProcessBuilder submit(String deployMode, String queue, String jobClass, List<String> moreConf, List<String> appArgs)
      throws IOException {
    String javaHome = System.getProperty("java.home");
    List<String> sparkConf = new ArrayList<>(
        List.of(
            // Spark's jars are installed on every node, as with a Spark distribution: nothing to upload.
            "spark.yarn.jars=local:" + sparkJars() + "/*",
            "spark.executor.instances=2",
            "spark.executor.cores=1",
            "spark.executor.memory=768m",
            "spark.yarn.am.memory=512m",
            "spark.driver.memory=1g",
            "spark.yarn.maxAppAttempts=1",
            // The application master asks for containers every 3 s by default; a test cluster answers sooner.
            "spark.yarn.scheduler.heartbeat.interval-ms=500",
            "spark.yarn.report.interval=500ms",
            "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
            "spark.executorEnv.JAVA_HOME=" + javaHome,
            "spark.yarn.appMasterEnv.OMP_NUM_THREADS=1",
            "spark.executorEnv.OMP_NUM_THREADS=1",
            "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
            "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1"));
    sparkConf.addAll(moreConf);
    List<String> options = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", deployMode, "--queue", queue));
    List<String> args = new ArrayList<>(appArgs);
    if (deployMode.equals("cluster") && jobClass.equals(TRAIN)) {
      // The driver runs in a container: the config travels with the application, read from its folder.
      options.addAll(List.of("--files", Repo.conf("quickstart.conf").toString()));
      args.replaceAll(a -> a.equals(Repo.conf("quickstart.conf").toString()) ? "quickstart.conf" : a);
    }
    return SparkSubmitCommand.withHadoopConf(SparkSubmitCommand.create(options, jobClass, sparkConf, args), hadoop.confDir());
  }

  /** A folder of links to Spark's jars, as {@code $SPARK_HOME/jars} on a node. */
  private static Path sparkJars() throws IOException {
    Path jars = tmp.resolve("spark-jars");
    if (!Files.isDirectory(jars)) {
      Files.createDirectories(jars);
      for (Path jar : SparkSubmitCommand.sparkJars()) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
      }
    }
    return jars;
  }

  private record Run(int exitCode, String log, ApplicationReport app) {}

  /** Runs a submission to its end; the YARN application it started, ended too. */
  private static Run run(ProcessBuilder pb, String name) throws Exception {
    Set<ApplicationId> before = applicationIds();
    Path log = tmp.resolve(name + ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("spark-submit %s finished", name).isTrue();
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
        // In cluster mode the driver is YARN's, not this process's: end the application too.
        for (ApplicationReport app : hadoop.applications()) {
          if (!before.contains(app.getApplicationId())) {
            hadoop.killIfRunning(app.getApplicationId());
          }
        }
      }
    }
    ApplicationReport app = hadoop.awaitEnded(started(before));
    return new Run(p.exitValue(), Files.readString(log), app);
  }

  private static Set<ApplicationId> applicationIds() throws Exception {
    return hadoop.applications().stream().map(ApplicationReport::getApplicationId).collect(Collectors.toSet());
  }

  /** The one application submitted since {@code before} was taken. */
  private static ApplicationId started(Set<ApplicationId> before) throws Exception {
    List<ApplicationId> fresh =
        hadoop.applications().stream().map(ApplicationReport::getApplicationId).filter(id -> !before.contains(id)).toList();
    assertThat(fresh).as("YARN applications submitted").hasSize(1);
    return fresh.get(0);
  }

  private static List<String> train(String out, String... more) {
    List<String> args = new ArrayList<>(
        List.of(Repo.conf("quickstart.conf").toString(), "data.train=" + data, "output.dir=" + out, "output.overwrite=true", "training.workers=2"));
    args.addAll(List.of(more));
    return args;
  }

  private static byte[] read(String path) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return in.readAllBytes();
    }
  }

  private static List<Integer> epochs(String out) throws IOException {
    List<Integer> numbers = new ArrayList<>();
    JSON.readTree(read(out + "/metrics.json")).get("epochs").forEach(e -> numbers.add(e.get("epoch").asInt()));
    return numbers;
  }

  /** Rows in a Parquet folder on HDFS, from its files' footers. */
  private static long parquetRows(String dir) throws IOException {
    long rows = 0;
    for (FileStatus file : fs.listStatus(new org.apache.hadoop.fs.Path(dir), p -> p.getName().endsWith(".parquet"))) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file.getPath(), fs.getConf()))) {
        rows += reader.getRecordCount();
      }
    }
    return rows;
  }

  private static String log(Path containerDir) throws IOException {
    StringBuilder all = new StringBuilder();
    for (String name : List.of("stdout", "stderr")) {
      Path file = containerDir.resolve(name);
      if (Files.exists(file)) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  /** The containers of {@code app} whose log shows a Spark executor that registered with the driver. */
  private static List<String> executorContainers(ApplicationReport app) throws IOException {
    List<String> executors = new ArrayList<>();
    for (Map.Entry<String, Path> container : hadoop.containerLogs(app.getApplicationId()).entrySet()) {
      if (log(container.getValue()).contains("Successfully registered with driver")) {
        executors.add(container.getKey());
      }
    }
    return executors;
  }

  @Test
  @Order(1)
  void clientModeTrainsFromHdfsIntoHdfsWithExecutorsInYarnContainers() throws Exception {
    Run r = run(submit("client", "default", TRAIN, List.of(), train(model, "training.epochs=3")), "client-train");
    assertThat(r.exitCode()).as(r.log()).isZero();
    assertThat(r.log()).contains("Training with Sparkfit parameter averaging: 2 workers").contains("Epoch 3/3");
    assertThat(r.app().getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    assertThat(r.app().getApplicationType()).isEqualTo("SPARK");
    // Hadoop 3.4 and later report a queue by its full path.
    assertThat(r.app().getQueue()).isIn("default", "root.default");
    // Both workers were executors that YARN ran in containers of this application.
    assertThat(executorContainers(r.app())).hasSize(2);

    FileSystem outputFs = new org.apache.hadoop.fs.Path(model).getFileSystem(fs.getConf());
    assertThat(outputFs).isInstanceOf(DistributedFileSystem.class);
    assertThat(outputFs.exists(new org.apache.hadoop.fs.Path(model + "/model.zip"))).isTrue();
    assertThat(outputFs.exists(new org.apache.hadoop.fs.Path(model + "/_SUCCESS"))).isTrue();
    assertThat(epochs(model)).containsExactly(1, 2, 3);
    JsonNode provenance = JSON.readTree(read(model + "/provenance.json"));
    assertThat(provenance.get("sparkAppId").asText()).isEqualTo(r.app().getApplicationId().toString());
    assertThat(provenance.get("sparkMaster").asText()).isEqualTo("yarn");
    assertThat(provenance.at("/inputs/data.train/path").asText()).startsWith("hdfs://");
    // Nothing of an hdfs:// path was taken for a local one.
    assertThat(Path.of("hdfs:")).doesNotExist();
    assertThat(Repo.root().resolve("hdfs:")).doesNotExist();
    firstModel = read(model + "/model.zip");
  }

  @Test
  @Order(2)
  void evaluateAndPredictReadTheModelBackFromHdfs() throws Exception {
    String evaluation = hadoop.hdfs("/evaluations/customers.json");
    Run evaluate =
        run(submit("client", "default", "io.sparkfit.jobs.EvaluateJob", List.of(), List.of("--model", model, "--data", data, "--output", evaluation)), "evaluate");
    assertThat(evaluate.exitCode()).as(evaluate.log()).isZero();
    long rows = parquetRows(data);
    JsonNode metrics = JSON.readTree(read(evaluation));
    assertThat(metrics.get("count").asLong()).isEqualTo(rows);
    assertThat(metrics.get("accuracy").asDouble()).isBetween(0.5, 1.0);

    String predictions = hadoop.hdfs("/predictions/customers");
    Run predict =
        run(submit("client", "default", "io.sparkfit.jobs.PredictJob", List.of(), List.of("--model", model, "--data", data, "--output", predictions)), "predict");
    assertThat(predict.exitCode()).as(predict.log()).isZero();
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(predictions + "/_SUCCESS"))).isTrue();
    assertThat(parquetRows(predictions)).isEqualTo(rows);
    assertThat(executorContainers(predict.app())).isNotEmpty();
  }

  @Test
  @Order(3)
  void aRerunKilledMidTrainingLeavesTheHdfsOutputAndClusterModeResumesFromItsHdfsCheckpoint() throws Exception {
    assertThat(firstModel).as("the model of the first run").isNotNull();
    List<String> tonight = train(model, "training.epochs=8", EVERY_EPOCH);
    Set<ApplicationId> before = applicationIds();
    Path killedLog = tmp.resolve("killed.log");
    Process killed = submit("client", "default", TRAIN, List.of(), tonight).redirectErrorStream(true).redirectOutput(killedLog.toFile()).start();
    int checkpointed;
    try {
      checkpointed = CheckpointEpochs.await(killed, model, fs.getConf(), 2, Duration.ofMinutes(10));
    } finally {
      killed.destroyForcibly();
    }
    assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
    hadoop.awaitEnded(started(before));
    assertThat(checkpointed).as("killed mid-training").isLessThan(8);
    assertThat(read(model + "/model.zip")).as("the previous model, untouched").isEqualTo(firstModel);
    assertThat(epochs(model)).containsExactly(1, 2, 3);

    List<String> resume = new ArrayList<>(List.of("--resume"));
    resume.addAll(tonight);
    Run resumed = run(submit("cluster", "default", TRAIN, List.of(), resume), "resumed");
    assertThat(resumed.exitCode()).as(resumed.log()).isZero();
    assertThat(resumed.app().getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    // Cluster mode: the driver is the application master, container 1 of the application.
    Map<String, Path> containers = hadoop.containerLogs(resumed.app().getApplicationId());
    String driverLog = log(containers.values().iterator().next());
    assertThat(driverLog).contains("Resuming after epoch ").contains("Epoch 8/8");
    int resumedAfter = Integer.parseInt(driverLog.replaceAll("(?s).*Resuming after epoch (\\d+).*", "$1"));
    assertThat(resumedAfter).as("resumed from the last checkpoint the killed run wrote").isGreaterThanOrEqualTo(checkpointed);
    assertThat(driverLog).as("the checkpoint's epochs are not run again").doesNotContain("Epoch 1/8");
    assertThat(driverLog).doesNotContain("Epoch " + resumedAfter + "/8 -");
    assertThat(executorContainers(resumed.app())).hasSize(2);
    assertThat(epochs(model)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(read(model + "/model.zip")).isNotEqualTo(firstModel);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/models/.customers.sparkfit-checkpoint"))).as("checkpoint removed once committed").isFalse();
  }

  @Test
  @Order(4)
  void aQueueTooSmallForTheBarrierStageFailsInOneLine() throws Exception {
    String out = hadoop.hdfs("/models/small-queue");
    Run r =
        run(
            submit("client", "small", TRAIN, List.of("spark.scheduler.maxRegisteredResourcesWaitingTime=10s"), train(out, "training.epochs=2")),
            "small-queue");
    assertThat(r.exitCode()).as(r.log()).isEqualTo(2);
    assertThat(r.app().getQueue()).isIn("small", "root.small");
    List<String> errors = r.log().lines().filter(l -> l.startsWith("sparkfit: error:")).toList();
    assertThat(errors)
        .containsExactly(
            "sparkfit: error: Invalid training.workers: 2 (each epoch is a barrier stage that needs 2 task slots at once, "
                + "but the executors have 1 after 10 s, spark.scheduler.maxRegisteredResourcesWaitingTime: give Spark more "
                + "executors or cores - on YARN, a queue with room for all of them - or lower training.workers)");
    // The queue held one executor: YARN ran it, the other never came.
    assertThat(executorContainers(r.app())).hasSize(1);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/models/small-queue"))).as("nothing written").isFalse();
  }
  /**
   * The lease that makes promotions of one pointer go one at a time, on HDFS, where a create of a
   * file another writer is still creating is refused with AlreadyBeingCreatedException: four writers
   * in one client, five updates each, never two inside at once, none failing.
   */
  @Test
  @Order(5)
  void updatesUnderALeaseOnHdfsGoOneAtATime() throws Exception {
    String pointer = hadoop.hdfs("/models/current");
    int writers = 4;
    java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    List<Throwable> failures =
        io.sparkfit.testing.Together.run(
            writers,
            w -> {
              for (int i = 0; i < 5; i++) {
                io.sparkfit.output.LeasedUpdate.run(
                    fs.getConf(),
                    pointer,
                    "--current",
                    "writer " + w,
                    stillHeld -> {
                      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      stillHeld.run();
                      inside.decrementAndGet();
                      done.incrementAndGet();
                    });
              }
            });
    assertThat(failures).isEmpty();
    assertThat(done.get()).isEqualTo(writers * 5);
    assertThat(most.get()).as("updates inside at once").isEqualTo(1);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/models/.current.sparkfit-lease"))).as("the lease given back").isFalse();
  }
}

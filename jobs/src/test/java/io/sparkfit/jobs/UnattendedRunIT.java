package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.testing.CheckpointEpochs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SparkSubmitCommand;
import io.sparkfit.testing.StandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs as a scheduler runs them, through {@code SparkSubmit} and the shaded jar: a run killed with
 * SIGKILL mid-training, then resumed; and training on a real standalone cluster (a Master and two
 * Workers on 127.0.0.1) with a Worker killed mid-training. The previous output must survive every
 * failure intact.
 */
class UnattendedRunIT {
  /** These runs must last their epochs to be killed and resumed mid-way: no early stop. */
  private static final String EVERY_EPOCH = "training.early-stopping.metric=none";
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Epochs of the run that loses a Worker: the Worker goes after the second checkpoint, and the epochs
   * left (about a second each on two one-core executors) outlast its going and the driver noticing.
   */
  private static final int CLUSTER_EPOCHS = 15;
  @TempDir Path tmp;

  private List<String> quickstart(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of(Repo.conf("quickstart.conf").toString(), "output.dir=" + out, "output.overwrite=true"));
    args.addAll(List.of(more));
    return args;
  }

  private static List<Integer> epochs(Path out) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    JSON.readTree(out.resolve("metrics.json").toFile()).get("epochs").forEach(e -> numbers.add(e.get("epoch").asInt()));
    return numbers;
  }

  @Test
  void aRunKilledWithSigkillResumesToTheFullRunAndTheOldOutputSurvives() throws Exception {
    Path out = tmp.resolve("model");
    Process yesterday = SparkSubmitCommand.create("local[2]", "io.sparkfit.jobs.TrainJob", List.of(), quickstart(out, "training.epochs=1"))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("yesterday.log").toFile()).start();
    assertThat(yesterday.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(yesterday.exitValue()).isZero();
    byte[] yesterdaysModel = Files.readAllBytes(out.resolve("model.zip"));

    List<String> tonight = quickstart(out, "training.epochs=12", EVERY_EPOCH);
    Process killed = SparkSubmitCommand.create("local[2]", "io.sparkfit.jobs.TrainJob", List.of(), tonight)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
    int checkpointed = CheckpointEpochs.await(killed, out.toString(), new Configuration(), 3, Duration.ofMinutes(5));
    killed.destroyForcibly();
    assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readAllBytes(out.resolve("model.zip"))).as("the previous model, untouched").isEqualTo(yesterdaysModel);
    assertThat(epochs(out)).containsExactly(1);

    List<String> resume = new ArrayList<>(List.of("--resume"));
    resume.addAll(tonight);
    Process resumed = SparkSubmitCommand.create("local[2]", "io.sparkfit.jobs.TrainJob", List.of(), resume)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("resumed.log").toFile()).start();
    assertThat(resumed.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(resumed.exitValue()).as(Files.readString(tmp.resolve("resumed.log"))).isZero();
    assertThat(checkpointed).as("killed mid-training, before the last epoch").isLessThan(12);
    String resumedLog = Files.readString(tmp.resolve("resumed.log"));
    assertThat(resumedLog).contains("Resuming after epoch ");
    int resumedAfter = Integer.parseInt(resumedLog.replaceAll("(?s).*Resuming after epoch (\\d+).*", "$1"));
    assertThat(resumedAfter).as("resumed from the last checkpoint the killed run wrote").isGreaterThanOrEqualTo(checkpointed);
    assertThat(resumedLog).as("epochs before the checkpoint are not run again").doesNotContain("Epoch 1/12");
    assertThat(epochs(out)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    // As good as an uninterrupted run: the quickstart's classes overlap, about 90% is what the data allows.
    assertThat(metrics.at("/final/validation/accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
    assertThat(tmp.resolve(".model.sparkfit-checkpoint")).doesNotExist();
  }

  @Test
  void trainsOnAStandaloneClusterAndALostWorkerNeverCorruptsTheOutput() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, 1, "2g")) {
      List<String> sparkConf = List.of("spark.executor.cores=1", "spark.executor.memory=1g", "spark.task.maxFailures=2");
      Path out = tmp.resolve("model");
      Process first = SparkSubmitCommand.create(cluster.masterUrl(), "io.sparkfit.jobs.TrainJob", sparkConf, quickstart(out, "training.epochs=3"))
          .redirectErrorStream(true).redirectOutput(tmp.resolve("first.log").toFile()).start();
      assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
      String log = Files.readString(tmp.resolve("first.log"));
      assertThat(first.exitValue()).as(log).isZero();
      assertThat(log).contains("Training with Sparkfit parameter averaging: 2 workers");
      assertThat(out.resolve("_SUCCESS")).exists();
      assertThat(epochs(out)).containsExactly(1, 2, 3);
      byte[] model = Files.readAllBytes(out.resolve("model.zip"));

      Process second = SparkSubmitCommand.create(cluster.masterUrl(), "io.sparkfit.jobs.TrainJob", sparkConf, quickstart(out, "training.epochs=" + CLUSTER_EPOCHS, "training.stall-timeout-seconds=20", EVERY_EPOCH))
          .redirectErrorStream(true).redirectOutput(tmp.resolve("second.log").toFile()).start();
      int before = CheckpointEpochs.await(second, out.toString(), new Configuration(), 2, Duration.ofMinutes(5));
      assertThat(before).as("the Worker goes mid-training").isLessThan(CLUSTER_EPOCHS);
      cluster.killWorker(1);
      Process killedWorker = cluster.workers().get(1);
      assertThat(killedWorker.waitFor(1, TimeUnit.MINUTES)).isTrue();
      assertThat(killedWorker.isAlive()).as("the Worker is gone").isFalse();
      assertThat(second.waitFor(10, TimeUnit.MINUTES)).as("the run ends one way or the other").isTrue();
      int code = second.exitValue();
      String secondLog = Files.readString(tmp.resolve("second.log"));
      assertThat(code).as(secondLog).isIn(0, 1);
      // The driver noticed: an executor of the killed Worker was lost during training.
      assertThat(secondLog).as("the driver saw the executor go").containsPattern("Lost executor|Executor .* removed|ExecutorLostFailure");
      if (code == 0) {
        // Recovered: Spark re-ran the epoch's barrier stage on the remaining slots' schedule, every epoch once.
        assertThat(epochs(out)).as("outcome: recovered").hasSize(CLUSTER_EPOCHS).doesNotHaveDuplicates();
        assertThat(secondLog).contains("Model written to");
      } else {
        // Failed cleanly, for a reason it names: the epoch stalled without its slots, or Spark gave up the stage.
        assertThat(secondLog).as("outcome: failed, and why").containsPattern("Epoch \\d+ stalled: no averaging worker|Job aborted due to stage failure");
        assertThat(Files.readAllBytes(out.resolve("model.zip"))).as("the previous model, untouched").isEqualTo(model);
        assertThat(epochs(out)).containsExactly(1, 2, 3);
      }
      assertThat(out.resolve("_SUCCESS")).exists();
    }
  }
}

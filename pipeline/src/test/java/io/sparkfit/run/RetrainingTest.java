package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.TrainingRun.Resume;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.TestLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scheduled retraining relies on: checkpoints and resume, early stopping, warm start. */
class RetrainingTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private LoadedConfig quickstart(String out, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("data.train=" + Repo.dataSamples().resolve("customers"));
    all.add("output.dir=" + tmp.resolve(out));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(Repo.conf("quickstart.conf"), all);
  }

  private static JsonNode metrics(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("metrics.json").toFile());
  }

  private static List<Integer> epochNumbers(JsonNode metrics) {
    List<Integer> numbers = new ArrayList<>();
    metrics.get("epochs").forEach(e -> numbers.add(e.get("epoch").asInt()));
    return numbers;
  }

  /** Stands for a run that dies after saving epoch {@code dieAfter}'s checkpoint. */
  private static final class Killed extends RuntimeException {}

  /** Trains {@code config} until the checkpoint of {@code dieAfter} is saved, then dies as a killed driver would. */
  private Checkpoints dieAfterEpoch(LoadedConfig config, int dieAfter) {
    Checkpoints checkpoints = Checkpoints.of(config, sc.hadoopConfiguration());
    List<Integer> saved = new ArrayList<>();
    TrainingData data = TrainingData.load(spark, config.config().data(), config.config().model().seed());
    try {
      CheckpointSink dying =
          checkpoint -> {
            checkpoints.save(checkpoint);
            saved.add(checkpoint.epoch());
            if (checkpoint.epoch() == dieAfter) {
              throw new Killed();
            }
          };
      assertThatThrownBy(() -> TrainingRun.fit(spark, config, Optional.empty(), dying, Optional.of(data), EpochLoop.Stopping.never(), io.sparkfit.guard.DriftGate.off())).isInstanceOf(Killed.class);
    } finally {
      data.release();
    }
    assertThat(saved).as("the run died where it was made to").containsExactly(1, 2);
    assertThat(Path.of(config.config().output().dir())).as("no output from a run that died").doesNotExist();
    assertThat(Path.of(checkpoints.location()).resolve(String.format("epoch-%06d/model.zip", dieAfter))).exists();
    return checkpoints;
  }

  @Test
  void aRunThatDiesResumesFromItsLastCheckpointWithoutRepeatingOrLosingEpochs() throws IOException {
    LoadedConfig config = quickstart("model", "training.epochs=4");
    Checkpoints checkpoints = dieAfterEpoch(config, 2);
    JsonNode before = JSON.readTree(Path.of(checkpoints.location()).resolve("epoch-000002/state.json").toFile()).get("history");

    TrainingRun.run(spark, config, Resume.REQUIRED);

    JsonNode resumed = metrics(tmp.resolve("model"));
    assertThat(epochNumbers(resumed)).containsExactly(1, 2, 3, 4);
    assertThat(resumed.at("/epochs/0")).as("epoch 1 comes from the checkpoint, not a second run").isEqualTo(before.get(0));
    assertThat(resumed.at("/epochs/1")).isEqualTo(before.get(1));
    assertThat(resumed.at("/final/validation/accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
    assertThat(resumed.at("/epochs/3/train/count").asLong()).isEqualTo(resumed.at("/epochs/0/train/count").asLong());
    assertThat(Path.of(checkpoints.location())).as("removed once the output is in place").doesNotExist();
  }

  @Test
  void aRetryWithMoreExecutorMemoryResumesWhereTheRunDied() throws IOException {
    dieAfterEpoch(quickstart("model", "training.epochs=4"), 2);
    // What an operator changes before a retry: resources, timeouts, where the output goes is not among them.
    LoadedConfig retry =
        quickstart(
            "model", "training.epochs=4", "spark.conf.\"spark.executor.memory\"=6g", "spark.conf.\"spark.executor.memoryOverhead\"=2g",
            "training.stall-timeout-seconds=1200", "training.threads-per-task=1", "output.overwrite=true");
    assertThat(retry.config().spark().conf()).containsEntry("spark.executor.memory", "6g");

    List<String> log = TestLogs.capture(TrainingRun.class.getPackageName(), () -> TrainingRun.run(spark, retry, Resume.IF_PRESENT));

    assertThat(log).anyMatch(line -> line.startsWith("Resuming after epoch 2 from "));
    assertThat(log).noneMatch(line -> line.startsWith("Epoch 1/4") || line.startsWith("Epoch 2/4"));
    assertThat(epochNumbers(metrics(tmp.resolve("model")))).containsExactly(1, 2, 3, 4);

    // Another learning rate is another model: its checkpoint does not resume.
    dieAfterEpoch(quickstart("other", "training.epochs=4"), 2);
    assertThatThrownBy(() -> TrainingRun.run(spark, quickstart("other", "training.epochs=4", "model.updater.learning-rate=0.02"), Resume.IF_PRESENT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("was written by a different config");
  }

  @Test
  void resumeIfPresentStartsAfreshWithoutACheckpoint() throws IOException {
    List<String> log =
        TestLogs.capture(
            TrainingRun.class.getPackageName(), () -> TrainingRun.run(spark, quickstart("model", "training.epochs=2"), Resume.IF_PRESENT));
    assertThat(log).noneMatch(line -> line.startsWith("Resuming"));
    assertThat(log).anyMatch(line -> line.startsWith("Epoch 1/2"));
    assertThat(epochNumbers(metrics(tmp.resolve("model")))).containsExactly(1, 2);
  }

  @Test
  void resumeNeedsACheckpointOfTheSameConfig() {
    LoadedConfig config = quickstart("model", "training.epochs=2");
    assertThatThrownBy(() -> TrainingRun.run(spark, config, Resume.REQUIRED))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("--resume: no checkpoint at " + tmp.resolve(".model.sparkfit-checkpoint"));

    Checkpoints.beside(config.config().output().dir(), sc.hadoopConfiguration(), "0".repeat(64), Set.of())
        .save(new Checkpoint(1, trainedModelOf(quickstart("other", "training.epochs=1")), Optional.empty(), TrainingHistory.empty(), EarlyStoppingState.start()));
    assertThatThrownBy(() -> TrainingRun.run(spark, config, Resume.REQUIRED))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("was written by a different config (config hash 000000000000, this config ");
    assertThat(tmp.resolve("model")).doesNotExist();
  }

  @Test
  void aCheckpointWrittenBeforeTheFingerprintLeftOutResourcesStillResumes() throws IOException {
    LoadedConfig config = quickstart("model", "training.epochs=2");
    // What Sparkfit wrote before: the hash of the whole resolved config.
    Checkpoints.beside(config.config().output().dir(), sc.hadoopConfiguration(), config.previousFingerprint(), Set.of())
        .save(new Checkpoint(1, trainedModelOf(quickstart("other", "training.epochs=1")), Optional.empty(), TrainingHistory.empty(), EarlyStoppingState.start()));
    List<String> log = TestLogs.capture(TrainingRun.class.getPackageName(), () -> TrainingRun.run(spark, config, Resume.REQUIRED));
    assertThat(log).anyMatch(line -> line.startsWith("Resuming after epoch 1 from "));
    assertThat(epochNumbers(metrics(tmp.resolve("model")))).containsExactly(2);
  }

  private TrainedModel trainedModelOf(LoadedConfig config) {
    TrainingData data = TrainingData.load(spark, config.config().data(), config.config().model().seed());
    try {
      return TrainingRun.fit(spark, config, data).model();
    } finally {
      data.release();
    }
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndKeepsTheBestEpoch() throws IOException {
    // No later epoch can beat the first by more than min-delta: stop after 1 + patience epochs.
    TrainingRun.run(
        spark,
        quickstart(
            "model", "training.epochs=10", "training.early-stopping.metric=validation.loss", "training.early-stopping.patience=2",
            "training.early-stopping.min-delta=10"),
        Resume.NEVER);
    JsonNode metrics = metrics(tmp.resolve("model"));
    assertThat(epochNumbers(metrics)).containsExactly(1, 2, 3);
    assertThat(metrics.at("/early-stopping/best-epoch").asInt()).isEqualTo(1);
    assertThat(metrics.at("/early-stopping/stopped-after-epoch").asInt()).isEqualTo(3);
    assertThat(metrics.at("/early-stopping/stopped-early").asBoolean()).isTrue();
    assertThat(metrics.at("/final/validation")).isEqualTo(metrics.at("/epochs/0/validation"));
    assertThat(metrics.at("/final/train")).isEqualTo(metrics.at("/epochs/0/train"));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("model");
    }

    assertThatThrownBy(() -> quickstart("x", "training.early-stopping.metric=validation.log-loss"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid training.early-stopping.metric: validation.log-loss (add log-loss to metrics.names, which are [accuracy, f1, auc, confusion-matrix])");
    assertThatThrownBy(() -> quickstart("x", "training.early-stopping.metric=validation.r2"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid training.early-stopping.metric: validation.r2 (expected validation.<metric>");
  }

  @Test
  void earlyStoppingIsOnByDefaultAndAResumedRunStopsWhereAnUninterruptedOneDoes() throws IOException {
    // No early-stopping metric named: the default, auto, watches the validation split's loss. No
    // later epoch beats the first by more than min-delta, so both runs stop after 1 + patience epochs.
    // One worker (auto, for this light network): its state is the checkpoint's, so the resumed epoch
    // is bit for bit the uninterrupted one (several workers resume from their average, engine.md).
    String[] settings = {
      "training.workers=auto", "training.epochs=10", "training.early-stopping.patience=2", "training.early-stopping.min-delta=10"
    };
    List<String> log =
        TestLogs.capture(TrainingRun.class.getPackageName(), () -> TrainingRun.run(spark, quickstart("whole", settings), Resume.NEVER));
    assertThat(log)
        .contains(
            "Early stopping on validation.loss (training.early-stopping): at most training.epochs = 10 epochs, stopping once "
                + "validation.loss has not improved by more than 10.0 for 2 epochs, keeping the best epoch's model")
        .anyMatch(line -> line.startsWith("Early stopping after epoch 3: validation.loss has not improved for 2 epochs; keeping epoch 1"))
        .anyMatch(line -> line.startsWith("Recall per class (validation data, epoch 1): "));
    JsonNode whole = metrics(tmp.resolve("whole"));
    assertThat(epochNumbers(whole)).containsExactly(1, 2, 3);
    assertThat(whole.at("/early-stopping/best-epoch").asInt()).isEqualTo(1);

    LoadedConfig interrupted = quickstart("resumed", settings);
    dieAfterEpoch(interrupted, 2);
    TrainingRun.run(spark, interrupted, Resume.REQUIRED);
    JsonNode resumed = metrics(tmp.resolve("resumed"));
    assertThat(epochNumbers(resumed)).containsExactly(1, 2, 3);
    assertThat(resumed.get("early-stopping")).isEqualTo(whole.get("early-stopping"));
    assertThat(resumed.at("/final/validation")).as("the same best epoch's model, kept across the restart").isEqualTo(whole.at("/final/validation"));
    for (int e = 0; e < 3; e++) {
      assertThat(resumed.at("/epochs/" + e + "/validation")).as("epoch %d", e + 1).isEqualTo(whole.at("/epochs/" + e + "/validation"));
    }
    TrainedModel kept = io.sparkfit.model.ModelFiles.load(tmp.resolve("resumed").toString(), sc.hadoopConfiguration(), "test");
    TrainedModel keptWhole = io.sparkfit.model.ModelFiles.load(tmp.resolve("whole").toString(), sc.hadoopConfiguration(), "test");
    assertThat(kept.network().params()).as("bit for bit").isEqualTo(keptWhole.network().params());
  }

  @Test
  void warmStartBeginsWhereThePreviousModelEndedAndRefusesAnotherDataset() throws IOException {
    TrainingRun.run(spark, quickstart("yesterday", "training.epochs=3"), Resume.NEVER);
    double yesterdaysLastLoss = metrics(tmp.resolve("yesterday")).at("/epochs/2/train/loss").asDouble();

    TrainingRun.run(spark, quickstart("fresh", "training.epochs=1"), Resume.NEVER);
    TrainingRun.run(spark, quickstart("today", "training.epochs=1", "model.init-from=" + tmp.resolve("yesterday")), Resume.NEVER);
    double fresh = metrics(tmp.resolve("fresh")).at("/epochs/0/train/loss").asDouble();
    double warm = metrics(tmp.resolve("today")).at("/epochs/0/train/loss").asDouble();
    assertThat(warm).isLessThan(fresh).isLessThan(yesterdaysLastLoss * 1.5);

    LoadedConfig otherLabels =
        quickstart("other", "training.epochs=1", "model.init-from=" + tmp.resolve("yesterday"),
            "data.train=" + Repo.dataSamples().resolve("sensors"), "data.features=[readings]", "data.label=state");
    assertThatThrownBy(() -> TrainingRun.run(spark, otherLabels, Resume.NEVER))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("model.init-from " + tmp.resolve("yesterday") + " reads feature columns [age, income");
    assertThat(tmp.resolve("other")).doesNotExist();
  }
}

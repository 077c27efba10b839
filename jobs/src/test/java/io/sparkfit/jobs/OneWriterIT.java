package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.testing.CheckpointEpochs;
import io.sparkfit.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per output, and a stop that leaves a resumable run, through {@code bin/sparkfit} as users
 * run it: two runs started together on one output (exactly one trains), a SIGTERM mid-epoch and then
 * {@code --resume} (every epoch once), and the lease of a run that died taken over.
 */
class OneWriterIT {
  /** These runs must last their epochs to be killed and resumed mid-way: no early stop. */
  private static final String EVERY_EPOCH = "training.early-stopping.metric=none";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Minibatches of 4 rows: about 150 per worker, so an epoch takes long enough to be caught in. */
  private static final List<String> SLOW = List.of("training.batch-size-per-worker=4", "metrics.mode=fast");
  /**
   * Epochs of the racing runs: the winner still trains when the loser, started with it, asks for the
   * lease (a JVM start apart at most); each epoch takes about a second.
   */
  private static final int RACE_EPOCHS = 8;
  /** Epochs of the stopped run: it is stopped after epoch 3, so several epochs are left to abandon and resume. */
  private static final int STOPPED_EPOCHS = 10;
  @TempDir Path tmp;
  private Path data;

  @BeforeEach
  void data() throws Exception {
    data = Files.createDirectories(tmp.resolve("data"));
    try (Stream<Path> files = Files.list(Repo.dataSamples().resolve("customers"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, data.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private List<String> train(Path out, List<String> more) {
    List<String> args = new ArrayList<>(List.of("train", Repo.conf("quickstart.conf").toString(), "data.train=" + data, "output.dir=" + out));
    args.addAll(more);
    return args;
  }

  private static List<Integer> epochs(Path out) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    JSON.readTree(out.resolve("metrics.json").toFile()).get("epochs").forEach(e -> numbers.add(e.get("epoch").asInt()));
    return numbers;
  }

  private static Path lease(Path out) {
    return out.resolveSibling("." + out.getFileName() + ".sparkfit-lease");
  }

  @Test
  void twoRunsStartedTogetherOnOneOutputExactlyOneTrains() throws Exception {
    Path out = tmp.resolve("model");
    List<String> args = train(out, concat(SLOW, List.of("training.epochs=" + RACE_EPOCHS, EVERY_EPOCH)));
    Process first = SparkfitCli.start(tmp, "first", args);
    Process second = SparkfitCli.start(tmp, "second", args);
    SparkfitCli.Result a = SparkfitCli.finished(first, tmp, "first");
    SparkfitCli.Result b = SparkfitCli.finished(second, tmp, "second");

    List<SparkfitCli.Result> both = List.of(a, b);
    assertThat(both).extracting(SparkfitCli.Result::exit).as(a + "\n" + b).containsExactlyInAnyOrder(0, 2);
    SparkfitCli.Result winner = a.exit() == 0 ? a : b;
    SparkfitCli.Result loser = a.exit() == 0 ? b : a;
    assertThat(loser.unloggedLines()).as(loser.toString()).hasSize(1);
    assertThat(loser.unloggedLines().get(0))
        .startsWith("sparkfit: error: output.dir " + out + " is in use by another run: application ")
        .contains("pid " + (loser == a ? second.pid() : first.pid()));
    assertThat(loser.stderr()).as("the refused run trained nothing").doesNotContain("Epoch 1/");
    assertThat(winner.stderr()).contains("Epoch " + RACE_EPOCHS + "/" + RACE_EPOCHS);
    assertThat(epochs(out)).containsExactlyElementsOf(IntStream.rangeClosed(1, RACE_EPOCHS).boxed().toList());
    assertThat(lease(out)).as("the lease went with its run").doesNotExist();
    assertThat(out.resolveSibling(".model.sparkfit-checkpoint")).doesNotExist();
  }

  @Test
  void aSigtermMidEpochStopsInOneLineAndResumeRunsEveryEpochOnce() throws Exception {
    Path out = tmp.resolve("model");
    // No grace: the epoch in progress is abandoned, whatever is left of it.
    List<String> args = train(out, concat(SLOW, List.of("training.epochs=" + STOPPED_EPOCHS, "training.stop-grace-seconds=0", EVERY_EPOCH)));
    Process run = SparkfitCli.start(tmp, "stopped", args);
    while (CheckpointEpochs.latest(out.toString(), new Configuration()) < 3) {
      assertThat(run.isAlive()).as("still training").isTrue();
      Thread.sleep(50);
    }
    long signalled = System.nanoTime();
    run.destroy(); // SIGTERM, to the JVM itself: bin/sparkfit execs java
    SparkfitCli.Result stopped = SparkfitCli.finished(run, tmp, "stopped");
    double secondsToStop = (System.nanoTime() - signalled) / 1e9;

    assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
    assertThat(stopped.unloggedLines()).as(stopped.toString()).hasSize(1);
    Matcher line = Pattern.compile("sparkfit: stopped by SIGTERM after epoch (\\d+); resume with --resume").matcher(stopped.unloggedLines().get(0));
    assertThat(line.matches()).as(stopped.toString()).isTrue();
    int after = Integer.parseInt(line.group(1));
    assertThat(stopped.stderr())
        .as("the epoch in progress was abandoned, and the log said so")
        .contains("SIGTERM: abandoning epoch " + (after + 1) + " (")
        .contains("more than training.stop-grace-seconds = 0); the checkpoint of epoch " + after + " stands")
        .doesNotContain("Epoch " + (after + 1) + "/" + STOPPED_EPOCHS);
    assertThat(CheckpointEpochs.latest(out.toString(), new Configuration())).isEqualTo(after);
    assertThat(out).as("no output from a stopped run").doesNotExist();
    assertThat(lease(out)).doesNotExist();
    System.out.printf("SIGTERM to exit: %.1f s%n", secondsToStop);

    List<String> resume = new ArrayList<>(List.of("train", "--resume"));
    resume.addAll(args.subList(1, args.size()));
    SparkfitCli.Result resumed = SparkfitCli.run(tmp, "resumed", resume);
    assertThat(resumed.exit()).as(resumed.toString()).isZero();
    assertThat(resumed.stderr()).contains("Resuming after epoch " + after + " ").contains("Epoch " + (after + 1) + "/" + STOPPED_EPOCHS);
    for (int epoch = 1; epoch <= after; epoch++) {
      assertThat(resumed.stderr()).as("epoch %d is not run again", epoch).doesNotContain("Epoch " + epoch + "/" + STOPPED_EPOCHS + " ");
    }
    assertThat(epochs(out)).as("every epoch once").containsExactlyElementsOf(IntStream.rangeClosed(1, STOPPED_EPOCHS).boxed().toList());
  }

  @Test
  void theLeaseOfARunThatDiedIsTakenOver() throws Exception {
    Path out = tmp.resolve("model");
    Files.writeString(
        lease(out),
        JSON.writeValueAsString(
            Map.of("owner", "o-dead", "application", "app-dead", "host", "node-7", "pid", 99, "user", "etl",
                "started", "2026-11-30T00:00:00Z", "timeoutSeconds", 60)));
    Files.setLastModifiedTime(lease(out), FileTime.from(Instant.now().minusSeconds(600)));
    SparkfitCli.Result run = SparkfitCli.run(tmp, "taker", train(out, List.of("training.epochs=2")));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.stderr())
        .contains("Took over the lease on output.dir " + out + " from application app-dead (pid 99 on host node-7, user etl)")
        .containsPattern("not renewed for \\d+ s \\(timeout 60 s\\)");
    assertThat(epochs(out)).containsExactly(1, 2);
    assertThat(lease(out)).doesNotExist();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

package io.sparkfit.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.GateException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.ModelPointer;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.Together;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Champion/challenger promotion end to end: the first model becomes the champion; a challenger
 * trained on shuffled labels is not promoted and leaves the pointer as it was; a good one is
 * promoted; and a reader racing promotions always finds one whole model.
 */
class PromotionTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private LoadedConfig config(String train, String holdout, String out, int epochs, String... more) {
    List<String> overrides =
        new ArrayList<>(List.of(
            "data.train=" + train,
            "output.dir=" + tmp.resolve("models").resolve(out),
            "training.epochs=" + epochs,
            "training.workers=1",
            "guard.drift.reference=none",
            "guard.promote.champion=" + tmp.resolve("models/current"),
            "guard.promote.holdout=" + holdout));
    overrides.addAll(List.of(more));
    return ConfigLoader.load(Repo.conf("quickstart.conf"), overrides);
  }

  private String written(String name, Dataset<Row> table) {
    String path = tmp.resolve(name).toString();
    table.write().parquet(path);
    return path;
  }

  @Test
  void aChallengerOnShuffledLabelsIsNotPromotedAndABetterOneIs() throws Exception {
    String train = written("train", SampleTables.customers(spark, 1, 1200));
    String holdout = written("holdout", SampleTables.customers(spark, 2, 600));
    Dataset<Row> real = SampleTables.customers(spark, 1, 1200);
    // The labels of other rows: the features no longer tell the class.
    Dataset<Row> labels = real.select(functions.col("segment"), functions.row_number().over(org.apache.spark.sql.expressions.Window.orderBy(functions.rand(9))).as("k"));
    Dataset<Row> features = real.drop("segment").withColumn("k", functions.row_number().over(org.apache.spark.sql.expressions.Window.orderBy("id")));
    String shuffled = written("shuffled", features.join(labels, "k").drop("k"));
    Path pointer = tmp.resolve("models/current");

    // A weak champion: one epoch at a tenth of the learning rate.
    TrainingRun.run(spark, config(train, holdout, "v1", 1, "model.updater.learning-rate=0.001"));
    assertThat(JSON.readTree(pointer.toFile()).get("model").asText()).endsWith("models/v1");
    assertThat(tmp.resolve("models/v1/gate.json")).as("the first champion has nothing to be compared with").doesNotExist();
    byte[] before = Files.readAllBytes(pointer);

    assertThatThrownBy(() -> TrainingRun.run(spark, config(shuffled, holdout, "v2", 4)))
        .isInstanceOfSatisfying(GateException.class, e -> assertThat(e.exitCode()).isEqualTo(5))
        .hasMessageContaining("not promoted");
    assertThat(Files.readAllBytes(pointer)).as("the champion pointer is unchanged").isEqualTo(before);
    JsonNode rejected = JSON.readTree(tmp.resolve("models/v2/gate.json").toFile());
    assertThat(rejected.get("passed").asBoolean()).isFalse();
    assertThat(rejected.at("/classes/champion-only").asLong()).isGreaterThan(rejected.at("/classes/challenger-only").asLong());
    assertThat(rejected.at("/champion/provenance/started").asText()).as("both models' provenance").isNotEmpty();
    assertThat(rejected.at("/challenger/provenance/started").asText()).isNotEmpty();
    assertThat(Files.readString(tmp.resolve("models/v2/report.html"))).contains("Champion/challenger gate").contains("not promoted");

    TrainingRun.run(spark, config(train, holdout, "v3", 12));
    JsonNode promoted = JSON.readTree(pointer.toFile());
    assertThat(promoted.get("model").asText()).endsWith("models/v3");
    assertThat(promoted.get("previous").asText()).endsWith("models/v1");
    JsonNode gate = JSON.readTree(tmp.resolve("models/v3/gate.json").toFile());
    assertThat(gate.get("passed").asBoolean()).isTrue();
    assertThat(gate.at("/classes/challenger-accuracy/value").asDouble())
        .as("trained longer, at the full rate: better than the champion")
        .isGreaterThan(gate.at("/classes/champion-accuracy/value").asDouble());
    assertThat(ModelFiles.load(pointer.toString(), new Configuration(), "--model").provenance().orElseThrow().config().at("/training/epochs").asInt())
        .as("readers of the pointer get the promoted model")
        .isEqualTo(12);

    readersRacingPromotionsAlwaysSeeOneWholeModel(tmp.resolve("models/v1").toString(), tmp.resolve("models/v3").toString());
    promotersRacingEachOtherGoOneAtATime(tmp.resolve("models/v1").toString(), tmp.resolve("models/v3").toString());
  }

  /**
   * Four promotions of the same pointer at once, each with a verdict against the same champion (a
   * backfill promoting several days): one promotes, and the others, which go after it, find that the
   * pointer no longer names the champion they were compared with and exit 5.
   */
  private void promotersRacingEachOtherGoOneAtATime(String champion, String challenger) throws Exception {
    Configuration hadoop = new Configuration();
    Path pointer = tmp.resolve("models/backfilled");
    int promoters = 4;
    for (int round = 0; round < 8; round++) {
      Promotion.promote(pointer.toString(), champion, "round " + round, Promotion.Expected.anything(), hadoop, "test");
      java.util.concurrent.atomic.AtomicInteger promoted = new java.util.concurrent.atomic.AtomicInteger();
      List<Throwable> thrown =
          Together.run(
              promoters,
              p -> {
                Promotion.promote(pointer.toString(), challenger, "backfill", Promotion.Expected.champion(champion), hadoop, "test");
                promoted.incrementAndGet();
              });
      List<Throwable> refused = thrown.stream().filter(GateException.class::isInstance).toList();
      List<Throwable> failures = thrown.stream().filter(e -> !(e instanceof GateException)).toList();
      assertThat(failures).as("round %d", round).isEmpty();
      assertThat(promoted.get()).as("round %d: promotions that found the champion they were compared with", round).isEqualTo(1);
      assertThat(refused).hasSize(promoters - 1).allSatisfy(e -> assertThat(e).hasMessageContaining("not promoted"));
      assertThat(JSON.readTree(pointer.toFile()).get("previous").asText()).as("the one promotion replaced the champion").endsWith("models/v1");
    }
    try (var files = Files.list(tmp.resolve("models"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains("sparkfit-lease"))).as("no lease left").isEmpty();
    }
  }

  private void readersRacingPromotionsAlwaysSeeOneWholeModel(String a, String b) throws Exception {
    Configuration hadoop = new Configuration();
    Path racing = tmp.resolve("models/racing");
    Map<String, Long> parameters =
        Map.of(a, ModelFiles.load(a, hadoop, "a").network().numParams(), b, ModelFiles.load(b, hadoop, "b").network().numParams());
    Promotion.promote(racing.toString(), a, "start", Promotion.Expected.anything(), hadoop, "test");
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> readers = new ArrayList<>();
    int[] loads = new int[2];
    for (int r = 0; r < 2; r++) {
      int id = r;
      Thread reader =
          new Thread(
              () -> {
                while (!done.get()) {
                  try {
                    String model = new org.apache.hadoop.fs.Path(ModelPointer.read(racing.toString(), hadoop, "reader").orElseThrow().model()).toUri().getPath();
                    TrainedModel loaded = ModelFiles.load(racing.toString(), hadoop, "reader");
                    seen.add(model);
                    assertThat(parameters).containsKey(model);
                    assertThat(loaded.provenance()).isPresent();
                    assertThat(loaded.network().numParams()).isIn(parameters.values());
                    loads[id]++;
                  } catch (Throwable t) {
                    failures.add(t);
                    return;
                  }
                }
              });
      readers.add(reader);
      reader.start();
    }
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      Promotion.promote(racing.toString(), i % 2 == 0 ? b : a, "race " + i, Promotion.Expected.anything(), hadoop, "test");
      Thread.sleep(random.nextInt(3));
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failures).as("every read found a whole pointer and a whole model").isEmpty();
    assertThat(loads[0] + loads[1]).isPositive();
    assertThat(seen).isSubsetOf(a, b);
    try (var files = Files.list(tmp.resolve("models"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains("sparkfit-replace"))).as("no staged pointer left").isEmpty();
    }
  }
}

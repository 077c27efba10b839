package io.sparkfit.jobs;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.testing.Repo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sparkfit evaluate} and {@code predict} commands in-process: arguments, output, exit codes. */
@SparkTied
class ScoringJobsTest extends CommandLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPARK = List.of("spark.master=local[2]", "spark.conf.\"spark.ui.enabled\"=false");
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void trainAModel() {
    int code =
        Sparkfit.run(
            new Sparkfit(),
            new String[] {
              "train", Repo.conf("quickstart.conf").toString(), "data.train=" + Repo.dataSamples().resolve("customers"),
              "output.dir=" + shared.resolve("model"), "training.epochs=2", SPARK.get(0), SPARK.get(1)
            });
    assertThat(code).isZero();
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(SPARK);
    return Sparkfit.run(new Sparkfit(), all.toArray(String[]::new));
  }

  @Test
  void evaluatePrintsAndWritesAMetricsBlock() throws Exception {
    Path file = tmp.resolve("metrics.json");
    java.nio.file.Files.writeString(file, "yesterday's");
    int code =
        run("evaluate", "--model", shared.resolve("model").toString(), "--data", Repo.dataSamples().resolve("customers").toString(),
            "--output", file.toString(), "metrics.names=[accuracy,confusion-matrix]");
    assertThat(code).as(stderr()).isZero();
    JsonNode printed = JSON.readTree(stdout());
    assertThat(printed.get("count").asLong()).isEqualTo(1500);
    assertThat(printed.get("accuracy").asDouble()).isBetween(0.5, 1.0);
    assertThat(printed.at("/confusion-matrix/labels").toString()).isEqualTo("[\"bronze\",\"gold\",\"silver\"]");
    assertThat(JSON.readTree(file.toFile())).as("replaced").isEqualTo(printed);
    try (var siblings = java.nio.file.Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).as("nothing staged is left").containsExactly("metrics.json");
    }
    // Where the model came from, read from inside model.zip.
    // The quickstart splits 20% of its 1,500 rows off for validation (seeded).
    assertThat(printed.at("/model/inputs/data.train/rows").asLong() + printed.at("/model/inputs/data.validation/rows").asLong())
        .isEqualTo(1500);
    assertThat(printed.at("/model/inputs/data.validation/split-fraction").asDouble()).isEqualTo(0.2);
    assertThat(printed.at("/model/config/training/epochs").asInt()).isEqualTo(2);
    assertThat(printed.at("/model/model/label-index").toString()).isEqualTo("[\"bronze\",\"gold\",\"silver\"]");
    assertThat(printed.at("/model/sparkAppId").asText()).startsWith("local-");
  }

  @Test
  void compareExitsFiveUnlessTheChallengerPassesAndPromoteSwapsThePointer() throws Exception {
    String customers = Repo.dataSamples().resolve("customers").toString();
    String trained = shared.resolve("model").toString();
    String weak = tmp.resolve("weak").toString();
    assertThat(
            run("train", Repo.conf("quickstart.conf").toString(), "data.train=" + customers, "output.dir=" + weak, "training.epochs=1",
                "model.updater.learning-rate=0.0005"))
        .as(stderr())
        .isZero();
    Path verdict = tmp.resolve("gate.json");

    assertThat(run("compare", "--champion", trained, "--challenger", weak, "--data", customers, "--output", verdict.toString()))
        .as(stderr())
        .isEqualTo(5);
    assertThat(stderr()).startsWith("sparkfit: error: not promoted: the challenger " + weak);
    JsonNode rejected = JSON.readTree(verdict.toFile());
    assertThat(rejected.get("passed").asBoolean()).isFalse();
    assertThat(rejected.at("/classes/mcnemar-exact-p").asDouble()).isLessThan(0.05);
    Path current = tmp.resolve("current");
    assertThat(run("promote", "--model", weak, "--current", current.toString(), "--verdict", verdict.toString())).isEqualTo(5);
    assertThat(current).as("a rejected challenger is not promoted").doesNotExist();

    assertThat(run("promote", "--model", weak, "--current", current.toString())).as(stderr()).isZero();
    assertThat(run("compare", "--champion", current.toString(), "--challenger", trained, "--data", customers, "--output", verdict.toString()))
        .as(stderr())
        .isZero();
    JsonNode passed = JSON.readTree(verdict.toFile());
    assertThat(passed.get("passed").asBoolean()).isTrue();
    assertThat(passed.at("/champion/path").asText()).as("the pointer resolved to the model it names").isEqualTo("file:" + weak);
    assertThat(run("promote", "--model", trained, "--current", current.toString(), "--verdict", verdict.toString())).as(stderr()).isZero();
    JsonNode pointer = JSON.readTree(current.toFile());
    assertThat(pointer.get("model").asText()).as("qualified").isEqualTo("file:" + trained);
    assertThat(pointer.get("previous").asText()).isEqualTo("file:" + weak);
    // The same verdict again: it was about the champion weak, which is no longer in service.
    assertThat(run("promote", "--model", weak, "--current", current.toString(), "--verdict", verdict.toString())).isEqualTo(2);
    assertThat(stderr()).contains("is about the challenger");
    byte[] before = java.nio.file.Files.readAllBytes(current);
    // Promoting again on the verdict already used: the pointer no longer names the champion it compared.
    assertThat(run("promote", "--model", trained, "--current", current.toString(), "--verdict", verdict.toString())).isEqualTo(5);
    assertThat(stderr()).contains("now names file:" + trained + ", not file:" + weak);
    assertThat(java.nio.file.Files.readAllBytes(current)).as("a stale verdict never rolls the pointer").isEqualTo(before);
  }

  @Test
  void predictWritesParquetAndRefusesAnExistingOutput() {
    String[] args = {
      "predict", "--model", shared.resolve("model/model.zip").toString(), "--data", Repo.dataSamples().resolve("customers").toString(),
      "--output", tmp.resolve("scores").toString(), "--keep", "id,segment"
    };
    assertThat(run(args)).as(stderr()).isZero();
    assertThat(stdout()).startsWith("Predictions for 1500 rows written to " + tmp.resolve("scores"));
    assertThat(tmp.resolve("scores/_SUCCESS")).exists();

    assertThat(run(args)).isEqualTo(2);
    assertThat(stderr()).isEqualTo("sparkfit: error: --output " + tmp.resolve("scores") + " already exists (use --overwrite to replace it)"
        + System.lineSeparator());
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    String data = Repo.dataSamples().resolve("sensors").toString();
    assertThat(run("evaluate", "--model", shared.resolve("model").toString(), "--data", data)).isEqualTo(2);
    assertThat(stderr().lines().toList())
        .containsExactly("sparkfit: error: column 'age' (data.features) not found in " + data + "; its columns are [id, readings, state]");

    err.reset();
    String customers = Repo.dataSamples().resolve("customers").toString();
    assertThat(run("evaluate", "--model", shared.resolve("model").toString(), "--data", customers, "--output", shared.resolve("model").toString()))
        .isEqualTo(2);
    assertThat(stderr().lines().toList())
        .containsExactly(
            "sparkfit: error: --output " + shared.resolve("model") + " is the same as --model " + shared.resolve("model")
                + ": Sparkfit never writes over or into its inputs; choose another --output");
    assertThat(shared.resolve("model/model.zip")).as("the training output is untouched").exists();

    err.reset();
    java.nio.file.Path directory = java.nio.file.Files.createDirectories(tmp.resolve("a-directory"));
    assertThat(run("evaluate", "--model", shared.resolve("model").toString(), "--data", customers, "--output", directory.toString()))
        .isEqualTo(2);
    assertThat(stderr().lines().toList())
        .containsExactly("sparkfit: error: --output " + directory + " is a directory; evaluate writes one JSON file");

    err.reset();
    assertThat(run("predict", "--model", tmp.resolve("nothing").toString(), "--data", data, "--output", tmp.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr()).startsWith("sparkfit: error: --model " + tmp.resolve("nothing") + " does not exist");

    err.reset();
    assertThat(run("predict", "--model", shared.resolve("model").toString(), "--data", data, "--output", tmp.resolve("o").toString(),
            "--keep", "id", "--keep-all"))
        .isEqualTo(2);
    assertThat(stderr()).contains("mutually exclusive");
    assertThat(tmp.resolve("o")).doesNotExist();
  }
}

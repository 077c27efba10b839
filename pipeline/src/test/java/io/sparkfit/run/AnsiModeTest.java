package io.sparkfit.run;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.testing.ExampleConfigs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.nio.file.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark 4 turns ANSI SQL on by default ({@code spark.sql.ansi.enabled}), Spark 3.5 leaves it off: a
 * cast or parse that ANSI makes fail must not be one the jobs depend on. The same messy table (text
 * that is no time, impossible dates, NaN and infinite numbers, nulls) trains to the same rows,
 * profile and metrics, and is refused with the same line where its invalid rows are not to be dropped, under both settings,
 * whichever Spark this build has.
 */
@SparkTied
class AnsiModeTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANSI = "spark.sql.ansi.enabled";
  @TempDir static Path tmp;
  private static String messy;
  private static String defaultAnsi;

  @BeforeAll
  static void writeMessyMeters() {
    defaultAnsi = spark.conf().get(ANSI);
    Dataset<Row> meters = spark.read().parquet(Repo.dataSamples().resolve("meters/train").toString());
    Column id = functions.col("id");
    Dataset<Row> bad =
        meters
            .withColumn(
                "logged",
                functions.when(id.mod(7).equalTo(0), functions.lit("not a time"))
                    .when(id.mod(11).equalTo(0), functions.lit("31.02.2024 25:00"))
                    .when(id.mod(17).equalTo(0), functions.lit(""))
                    .otherwise(functions.col("logged")))
            .withColumn(
                "temperature_c",
                functions.when(id.mod(13).equalTo(0), functions.lit(Double.NaN))
                    .when(id.mod(19).equalTo(0), functions.lit(Double.POSITIVE_INFINITY))
                    .otherwise(functions.col("temperature_c")))
            .withColumn("reading", functions.col("temperature_c").cast("decimal(38,18)"));
    messy = tmp.resolve("messy").toString();
    bad.coalesce(1).write().parquet(messy);
  }

  @AfterEach
  void restoreAnsi() {
    spark.conf().set(ANSI, defaultAnsi);
  }

  private LoadedConfig config(Path out, String... more) {
    String[] overrides = new String[more.length + 4];
    overrides[0] =
        "data.features=[{column = logged, kind = datetime, format = \"dd.MM.yyyy HH:mm\", missing-indicator = true}, "
            + "temperature_c, reading, billing_day]";
    overrides[1] = "data.drop-invalid = true";
    overrides[2] = "training.epochs = 2";
    overrides[3] = "training.workers = 1";
    System.arraycopy(more, 0, overrides, 4, more.length);
    return ExampleConfigs.load("meters.conf", messy, out, overrides);
  }

  private JsonNode trained(boolean ansi) throws Exception {
    spark.conf().set(ANSI, Boolean.toString(ansi));
    Path out = tmp.resolve("ansi-" + ansi);
    TrainingRun.run(spark, config(out));
    JsonNode provenance = JSON.readTree(out.resolve(TrainingRun.PROVENANCE_FILE).toFile());
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    return JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("inputs", provenance.get("inputs"))
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("profile", provenance.get("data-profile"))
        .set("final", metrics.get("final"));
  }

  @Test
  void aMessyTableTrainsTheSameWithAnsiOnAndOff() throws Exception {
    JsonNode off = trained(false);
    JsonNode on = trained(true);
    // The messy rows were there to drop: NaN and infinite temperatures make rows invalid.
    assertThat(off.at("/inputs/data.train/dropped").asLong()).isPositive();
    assertThat(on).isEqualTo(off);
  }

  @Test
  void invalidRowsAreRefusedWithTheSameLineWithAnsiOnAndOff() {
    String[] messages = new String[2];
    for (boolean ansi : new boolean[] {false, true}) {
      spark.conf().set(ANSI, Boolean.toString(ansi));
      Path out = tmp.resolve("refused-" + ansi);
      assertThatThrownBy(() -> TrainingRun.run(spark, config(out, "data.drop-invalid = false")))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> messages[ansi ? 1 : 0] = e.getMessage());
      assertThat(out).doesNotExist();
    }
    assertThat(messages[0]).contains("invalid rows");
    assertThat(messages[1]).isEqualTo(messages[0]);
  }
}

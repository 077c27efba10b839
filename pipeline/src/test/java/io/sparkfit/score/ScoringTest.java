package io.sparkfit.score;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.DataValidationException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate and predict jobs' library side, on models trained from the example configs. */
@SparkTied
class ScoringTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** Trains an example config for two epochs into {@code tmp/name}, with data paths made absolute. */
  private Path train(String conf, String... overrides) {
    LoadedConfig plain = ConfigLoader.load(Repo.conf(conf), List.of());
    List<String> all = new ArrayList<>();
    all.add("data.train=" + Repo.root().resolve(plain.config().data().train()));
    plain.config().data().validation().ifPresent(v -> all.add("data.validation=" + Repo.root().resolve(v)));
    all.add("output.dir=" + tmp.resolve(conf));
    all.add("training.epochs=2");
    all.addAll(List.of(overrides));
    TrainingRun.run(spark, ConfigLoader.load(Repo.conf(conf), all));
    return tmp.resolve(conf);
  }

  private static TrainedModel load(Path dir) {
    return ModelFiles.load(dir.toString(), new Configuration(), "--model");
  }

  private static ScoringConfig settings(TrainedModel model, String... overrides) {
    return ConfigLoader.loadScoring(List.of(overrides), model.task(), model.dropInvalid());
  }

  @Test
  void evaluateReproducesTheFinalValidationBlockOfTraining() throws IOException {
    String validation = Repo.dataSamples().resolve("customers").toString();
    String names = "metrics.names=[accuracy,f1,precision-weighted,auc,auc-pr,log-loss,confusion-matrix]";
    Path dir = train("quickstart.conf", "data.validation=" + validation, names);
    JsonNode expected = JSON.readTree(dir.resolve("metrics.json").toFile()).at("/final/validation");
    TrainedModel model = load(dir);

    // The validation pass scored minibatches of the training batch size (32); so does this.
    Evaluation.Result result = Evaluation.run(spark, model, validation, settings(model, names, "scoring.batch-size=32"));
    JsonNode actual = result.toJson();
    assertThat(result.model()).as("the provenance the model carries").isEqualTo(model.provenance()).isPresent();
    assertThat(actual.at("/model/sparkAppId").asText()).isEqualTo(model.provenance().orElseThrow().sparkAppId());

    assertThat(actual.get("count").asLong()).isEqualTo(expected.get("count").asLong()).isEqualTo(1500);
    assertThat(actual.get("confusion-matrix").toString()).isEqualTo(expected.get("confusion-matrix").toString());
    assertThat(actual.get("per-class").fieldNames()).toIterable().containsExactly("bronze", "gold", "silver");
    for (String metric : List.of("accuracy", "f1", "precision-weighted", "auc", "auc-pr")) {
      assertThat(actual.get(metric).asDouble()).as(metric).isEqualTo(expected.get(metric).asDouble());
    }
    // Sums of per-example losses: the workers (in training) and the files' partitions (here) add them
    // up in different groups, so they agree to the last bits of a double, not always in them.
    for (String metric : List.of("loss", "log-loss")) {
      assertThat(actual.get(metric).asDouble()).as(metric).isCloseTo(expected.get(metric).asDouble(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
    }
  }

  @Test
  void exactAucIsCloseToTheHistogramsAndSaysSo() {
    Path dir = train("quickstart.conf");
    TrainedModel model = load(dir);
    String data = Repo.dataSamples().resolve("customers").toString();
    JsonNode histogram = Evaluation.run(spark, model, data, settings(model, "metrics.names=[auc]")).toJson();
    JsonNode exact = Evaluation.run(spark, model, data, settings(model, "metrics.names=[auc]", "metrics.exact-auc=true")).toJson();
    assertThat(histogram.has("auc-method")).isFalse();
    assertThat(exact.get("auc-method").asText()).isEqualTo("exact");
    assertThat(exact.get("auc").asDouble()).isCloseTo(histogram.get("auc").asDouble(), within(1e-3)).isNotEqualTo(histogram.get("auc").asDouble());
  }

  @Test
  void predictWritesOneRowPerInputRowKeepingIdsAndTheLabelType() throws IOException {
    for (String[] example :
        List.of(
            new String[] {"quickstart.conf", "customers", "segment"},
            new String[] {"sensors.conf", "sensors", "state"},
            new String[] {"vectors.conf", "vectors", "label"})) {
      Path dir = train(example[0]);
      TrainedModel model = load(dir);
      String data = Repo.dataSamples().resolve(example[1]).toString();
      Path out = tmp.resolve("predictions-" + example[1]);
      Prediction.Summary summary =
          Prediction.run(spark, model, data, out.toString(), new Prediction.Keep(List.of("id"), false), false, settings(model));

      Dataset<Row> input = spark.read().parquet(data);
      Dataset<Row> predictions = spark.read().parquet(out.toString());
      assertThat(out.resolve("_SUCCESS")).exists();
      assertThat(JSON.readTree(out.resolve(Prediction.MODEL_PROVENANCE_FILE).toFile()).get("sparkAppId").asText())
          .as("which model made the predictions")
          .isEqualTo(model.provenance().orElseThrow().sparkAppId());
      assertThat(predictions.columns()).containsExactly("id", "prediction", "probability");
      DataType labelType = input.schema().apply(example[2]).dataType();
      assertThat(predictions.schema().apply("prediction").dataType()).as(example[1]).isEqualTo(labelType);
      assertThat(summary.rowsWritten()).isEqualTo(input.count());
      assertThat(predictions.count()).isEqualTo(input.count());
      assertThat(predictions.select("id").except(input.select("id")).count()).isZero();
      assertThat(predictions.select("id").distinct().count()).isEqualTo(input.count());
      Set<Object> labels = new HashSet<>(input.select(example[2]).distinct().javaRDD().map(r -> r.get(0)).collect());
      List<Row> rows = predictions.limit(50).collectAsList();
      for (Row row : rows) {
        assertThat(labels).contains(row.get(1));
        List<Object> probabilities = row.getList(2);
        assertThat(probabilities).hasSize(model.labelIndex().size());
        double sum = probabilities.stream().mapToDouble(p -> (Double) p).sum();
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        int best = 0;
        for (int k = 1; k < probabilities.size(); k++) {
          best = (Double) probabilities.get(k) > (Double) probabilities.get(best) ? k : best;
        }
        assertThat(model.labelIndex().indexOf(row.get(1), example[2])).isEqualTo(best);
      }
    }
  }

  @Test
  void predictForRegressionGivesValuesInTheTargetsUnits() {
    Path dir = train("regression.conf", "training.epochs=6");
    TrainedModel model = load(dir);
    String data = Repo.dataSamples().resolve("houses/validation").toString();
    Path out = tmp.resolve("prices");
    Prediction.run(spark, model, data, out.toString(), Prediction.Keep.allColumns(), false, settings(model));
    Dataset<Row> joined = spark.read().parquet(out.toString());
    assertThat(joined.columns()).endsWith("price_k", "prediction");
    Row means = joined.agg(functions.avg("price_k"), functions.avg("prediction")).first();
    // Standardised targets come back in thousands: the means agree to within a fifth.
    assertThat(means.getDouble(1)).isCloseTo(means.getDouble(0), within(Math.abs(means.getDouble(0)) * 0.2));
  }

  @Test
  void badInputIsRefusedByNameAndWritesNothing() throws IOException {
    Path dir = train("quickstart.conf");
    TrainedModel model = load(dir);
    String customers = Repo.dataSamples().resolve("customers").toString();
    String sensors = Repo.dataSamples().resolve("sensors").toString();

    assertThatThrownBy(() -> Evaluation.run(spark, model, sensors, settings(model)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("column 'age' (data.features) not found in " + sensors);

    Path relabelled = tmp.resolve("relabelled");
    spark.read().parquet(customers).withColumn("segment", functions.lit("platinum")).write().parquet(relabelled.toString());
    assertThatThrownBy(() -> Evaluation.run(spark, model, relabelled.toString(), settings(model)))
        .hasRootCauseInstanceOf(DataValidationException.class)
        .rootCause()
        .hasMessageContaining("label column 'segment' has value 'platinum' not in the label index [bronze, gold, silver]");

    Path typed = tmp.resolve("typed");
    spark.read().parquet(customers).withColumn("age", functions.lit("old")).write().parquet(typed.toString());
    assertThatThrownBy(() -> Evaluation.run(spark, model, typed.toString(), settings(model)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("feature column 'age' in " + typed + " has type string");

    // Missing incomes are filled with the training mean, as in training; an infinite one is invalid.
    Path missing = tmp.resolve("missing");
    spark.read().parquet(customers)
        .withColumn("income", functions.when(functions.col("id").mod(100).equalTo(0), functions.lit(null)).otherwise(functions.col("income")))
        .write()
        .parquet(missing.toString());
    Path imputed = tmp.resolve("imputed");
    Prediction.Summary filled =
        Prediction.run(spark, model, missing.toString(), imputed.toString(), Prediction.Keep.none(), false, settings(model));
    assertThat(filled.rowsSkipped()).isZero();
    assertThat(spark.read().parquet(imputed.toString()).count()).isEqualTo(1500);

    Path nulls = tmp.resolve("infinite");
    spark.read().parquet(customers)
        .withColumn(
            "income",
            functions.when(functions.col("id").mod(100).equalTo(0), functions.lit(Double.POSITIVE_INFINITY)).otherwise(functions.col("income")))
        .write()
        .parquet(nulls.toString());
    Path out = tmp.resolve("out");
    assertThatThrownBy(
            () -> Prediction.run(spark, model, nulls.toString(), out.toString(), Prediction.Keep.none(), false, settings(model)))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith("15 of 1500 rows of " + nulls + " have features the model cannot take");
    assertThat(out).doesNotExist();
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
    }

    Prediction.Summary dropped =
        Prediction.run(spark, model, nulls.toString(), out.toString(), Prediction.Keep.none(), false, settings(model, "data.drop-invalid=true"));
    assertThat(dropped.rowsSkipped()).isEqualTo(15);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(1485);

    assertThatThrownBy(
            () -> Prediction.run(spark, model, customers, out.toString(), Prediction.Keep.none(), false, settings(model)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("--output " + out + " already exists (use --overwrite to replace it)");
    assertThat(spark.read().parquet(out.toString()).count()).as("left as it was").isEqualTo(1485);

    assertThatThrownBy(() -> settings(model, "metrics.names=[mse]"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("mse does not fit data.task = classification");
    assertThatThrownBy(() -> settings(model, "training.epochs=3"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Unknown key training.epochs for evaluate/predict");
  }
}

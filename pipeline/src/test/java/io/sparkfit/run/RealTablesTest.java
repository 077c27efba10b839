package io.sparkfit.run;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.score.Evaluation;
import io.sparkfit.score.Prediction;
import io.sparkfit.testing.ExampleConfigs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables as users bring them, through config alone: {@code data-samples/accounts} has string
 * categorical columns with a long tail and nulls, a yes/no answer, a boolean, numbers with nulls and
 * NaN, and a rare class. What is learned does not depend on the partitioning, travels inside the
 * model, and is applied at scoring; class weights change what the network learns of the rare class.
 */
@SparkTied
class RealTablesTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRAIN = Repo.dataSamples().resolve("accounts/train").toString();
  private static final String TEST = Repo.dataSamples().resolve("accounts/test").toString();
  @TempDir Path tmp;

  /** The accounts example with absolute paths, output under {@code tmp/name}, and {@code overrides}. */
  private LoadedConfig accounts(String name, String... overrides) {
    return ExampleConfigs.load("accounts.conf", TRAIN, tmp.resolve(name), overrides);
  }

  private static ScoringConfig scoring(TrainedModel model, String... overrides) {
    return ExampleConfigs.scoring(model, overrides);
  }

  @Test
  void oneTwoOrSevenPartitionsLearnTheSameVocabulariesStatisticsAndWeights() {
    DataConfig data = accounts("unused", "data.validation-fraction=0").config().data();
    List<TrainingData> loaded = new ArrayList<>();
    for (int partitions : new int[] {1, 2, 7}) {
      Path path = tmp.resolve("accounts-" + partitions);
      spark.read().parquet(TRAIN).repartition(partitions).write().parquet(path.toString());
      assertThat(spark.read().parquet(path.toString()).javaRDD().getNumPartitions()).isGreaterThanOrEqualTo(Math.min(partitions, 2));
      loaded.add(TrainingData.load(spark, ExampleConfigs.withTrain(data, path.toString()), 42));
    }
    try {
      TrainingData one = loaded.get(0);
      assertThat(one.featureSpec().columns().get(0)).isInstanceOf(InputColumn.Categorical.class);
      for (TrainingData other : loaded.subList(1, 3)) {
        assertThat(other.featureSpec()).isEqualTo(one.featureSpec());
        assertThat(other.normalizer()).isEqualTo(one.normalizer());
        assertThat(other.profile()).isEqualTo(one.profile());
        assertThat(other.classWeights(new io.sparkfit.config.ClassWeights.Balanced()).orElseThrow())
            .containsExactly(one.classWeights(new io.sparkfit.config.ClassWeights.Balanced()).orElseThrow());
      }
    } finally {
      loaded.forEach(TrainingData::release);
    }
  }

  @Test
  void theModelCarriesItsVocabularyAndScoresUnseenValuesAndNullsCountingThem() throws IOException {
    Path out = tmp.resolve("model");
    TrainingRun.run(spark, accounts("model", "training.epochs=3", "metrics.mode=fast"));
    TrainedModel model = ModelFiles.load(out.toString(), new Configuration(), "--model");
    InputColumn.Categorical country = (InputColumn.Categorical) model.featureSpec().columns().get(0);
    assertThat(country.vocabulary()).hasSize(8).startsWith("US");
    JsonNode profile = JSON.readTree(out.resolve("provenance.json").toFile()).get("data-profile");
    assertThat(profile.get(0).get("other-rows").asLong()).isPositive();
    assertThat(Files.readString(out.resolve("report.html"))).contains("Data profile (training rows)").contains("country");

    // Test rows with a country never seen in training, nulls and NaN in the numeric columns.
    Dataset<Row> test = spark.read().parquet(TEST);
    Dataset<Row> unseen =
        test.withColumn("country", functions.when(functions.col("id").mod(10).equalTo(0), functions.lit("Atlantis")).otherwise(functions.col("country")))
            .withColumn("age", functions.when(functions.col("id").mod(7).equalTo(0), functions.lit(null)).otherwise(functions.col("age")));
    Path unseenPath = tmp.resolve("unseen");
    unseen.write().parquet(unseenPath.toString());
    long outside =
        unseen.filter(functions.col("country").isNotNull().and(functions.not(functions.col("country").isin(country.vocabulary().toArray())))).count();
    assertThat(outside).isGreaterThan(unseen.filter(functions.col("country").equalTo("Atlantis")).count());

    Evaluation.Result evaluated = Evaluation.run(spark, model, unseenPath.toString(), scoring(model));
    assertThat(evaluated.unseenCategories()).containsEntry("country", outside).containsEntry("plan", 0L);
    assertThat(evaluated.toJson().at("/unseen-categories/country").asLong()).isEqualTo(outside);
    assertThat(evaluated.metrics().count()).isEqualTo(test.count());

    Prediction.Summary predicted =
        Prediction.run(
            spark, model, unseenPath.toString(), tmp.resolve("predictions").toString(), new Prediction.Keep(List.of("id", "country"), false),
            false, scoring(model));
    assertThat(predicted.rowsSkipped()).isZero();
    assertThat(predicted.unseenCategories()).containsEntry("country", outside);
    Dataset<Row> predictions = spark.read().parquet(tmp.resolve("predictions").toString());
    assertThat(predictions.count()).isEqualTo(test.count());

    // An unseen country and a rare one folded into "other" in training are the same input.
    String rare = "NL";
    assertThat(country.vocabulary()).doesNotContain(rare);
    Dataset<Row> twins =
        test.limit(20).withColumn("country", functions.lit("Atlantis")).union(test.limit(20).withColumn("country", functions.lit(rare)));
    Path twinsPath = tmp.resolve("twins");
    twins.write().parquet(twinsPath.toString());
    Prediction.run(
        spark, model, twinsPath.toString(), tmp.resolve("twin-predictions").toString(), new Prediction.Keep(List.of("id", "country"), false),
        false, scoring(model));
    Map<Object, List<Row>> byId = new java.util.HashMap<>();
    for (Row r : spark.read().parquet(tmp.resolve("twin-predictions").toString()).select("id", "probability").collectAsList()) {
      byId.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r);
    }
    assertThat(byId).hasSize(20);
    // The same inputs at other places of a minibatch: ND4J's kernels on some CPUs round by position, in the last float bits.
    byId.values().forEach(
        pair -> assertThat(pair.get(0).<Double>getList(1).stream().mapToDouble(Double::doubleValue).toArray())
            .containsExactly(pair.get(1).<Double>getList(1).stream().mapToDouble(Double::doubleValue).toArray(), within(1e-6)));
  }

  @Test
  void classWeightsRaiseTheRecallOfTheRareClass() throws IOException {
    double[] recall = new double[2];
    String[] weights = {"none", "balanced"};
    for (int i = 0; i < 2; i++) {
      TrainingRun.run(
          spark,
          accounts(weights[i], "data.validation=" + TEST, "training.epochs=3", "training.class-weights=" + weights[i]));
      JsonNode metrics = JSON.readTree(tmp.resolve(weights[i]).resolve("metrics.json").toFile());
      recall[i] = metrics.at("/final/validation/per-class/fraud/recall").asDouble();
      JsonNode provenance = JSON.readTree(tmp.resolve(weights[i]).resolve("provenance.json").toFile());
      assertThat(provenance.at("/model/class-weights").isMissingNode()).isEqualTo(i == 0);
    }
    assertThat(recall[1]).as("fraud recall, balanced against none").isGreaterThan(recall[0]);
  }

  @Test
  void aYesNoColumnIsALabel() throws IOException {
    Path table = tmp.resolve("autopay");
    spark.read().parquet(TRAIN).withColumn("autopay", functions.col("autopay").equalTo("yes")).write().parquet(table.toString());
    TrainingRun.run(
        spark,
        accounts(
            "boolean", "data.train=" + table, "data.label=autopay", "data.features=[plan, device, premium, age]",
            "training.class-weights=none", "training.epochs=2", "metrics.names=[accuracy]"));
    TrainedModel model = ModelFiles.load(tmp.resolve("boolean").toString(), new Configuration(), "--model");
    assertThat(model.labelIndex().values()).containsExactly(false, true);
    Prediction.run(
        spark, model, table.toString(), tmp.resolve("boolean-predictions").toString(), Prediction.Keep.none(), false, scoring(model));
    Dataset<Row> predictions = spark.read().parquet(tmp.resolve("boolean-predictions").toString());
    assertThat(predictions.schema().apply("prediction").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.BooleanType);
  }

  @Test
  void badColumnsAreRefusedByNameBeforeAnythingIsWritten() {
    Path table = tmp.resolve("with-empty");
    spark.read().parquet(TRAIN).withColumn("empty", functions.lit(null).cast("double")).write().parquet(table.toString());
    Map<String, String[]> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "feature column 'country' in data.train has 10 distinct values, more than max-distinct = 5, e.g. 'BR'",
        new String[] {"data.features=[{column = country, max-distinct = 5}, plan]"});
    cases.put(
        "feature column 'empty' in data.train has no values: all ",
        new String[] {"data.train=" + table, "data.features=[plan, empty]"});
    cases.put(
        "training.class-weights names class 'vip', which label column 'status' does not have; its classes are [active, churned, fraud]",
        new String[] {"training.class-weights={vip = 3}"});
    cases.put(
        "feature column 'monthly_spend' in data.train has type double, but is declared kind = categorical",
        new String[] {"data.features=[plan, {column = monthly_spend, kind = categorical}]"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      Path out = tmp.resolve("refused");
      List<String> overrides = new ArrayList<>(List.of(c.getValue()));
      assertThatThrownBy(() -> TrainingRun.run(spark, accounts("refused", overrides.toArray(String[]::new))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith(c.getKey());
      assertThat(out).doesNotExist();
      assertThat(tmp.resolve(".refused.sparkfit-checkpoint")).doesNotExist();
    }
  }
}

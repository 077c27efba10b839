package io.sparkfit.run;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.DataValidationException;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.DateTimePart;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.ml.SparkfitEstimator;
import io.sparkfit.ml.SparkfitModel;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.score.Evaluation;
import io.sparkfit.score.Prediction;
import io.sparkfit.testing.Batches;
import io.sparkfit.testing.ExampleConfigs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SharedSparkSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Dates and times as feature columns, tested as the other kinds are: their statistics do not depend
 * on the partitioning, a timestamp read in its zone and the wall-clock text of the same moments make
 * the same cyclical inputs, and what was learned travels in {@code model.zip} to evaluate, predict
 * and the Spark ML model, where nulls are imputed and unreadable text is an invalid row.
 */
@SparkTied
class DateTimeColumnsTest extends SharedSparkSession {
  private static final String TRAIN = Repo.dataSamples().resolve("meters/train").toString();
  private static final String TEST = Repo.dataSamples().resolve("meters/test").toString();
  private static final String LOGGED = "{column = logged, kind = datetime, format = \"dd.MM.yyyy HH:mm\"}";
  private static final String READ_AT = "{column = read_at, time-zone = \"" + SampleTables.METER_ZONE + "\"}";
  @TempDir Path tmp;

  private LoadedConfig meters(String name, String... overrides) {
    return ExampleConfigs.load("meters.conf", TRAIN, tmp.resolve(name), overrides);
  }

  private static ScoringConfig scoring(TrainedModel model, String... overrides) {
    return ExampleConfigs.scoring(model, overrides);
  }

  @Test
  void oneTwoOrFivePartitionsLearnTheSameStatistics() {
    DataConfig data =
        meters("unused", "data.validation-fraction=0", "data.features=[" + READ_AT + ", billing_day, " + LOGGED + ", temperature_c]")
            .config()
            .data();
    List<TrainingData> loaded = new ArrayList<>();
    for (int partitions : new int[] {1, 2, 5}) {
      Path path = tmp.resolve("meters-" + partitions);
      spark.read().parquet(TRAIN).repartition(partitions).write().parquet(path.toString());
      loaded.add(TrainingData.load(spark, ExampleConfigs.withTrain(data, path.toString()), 42));
    }
    try {
      TrainingData one = loaded.get(0);
      InputColumn.DateTime readAt = (InputColumn.DateTime) one.featureSpec().columns().get(0);
      assertThat(readAt.timeZone()).isEqualTo(SampleTables.METER_ZONE);
      assertThat(readAt.parts()).containsExactly(DateTimePart.HOUR, DateTimePart.WEEKDAY, DateTimePart.YEARDAY, DateTimePart.ELAPSED);
      assertThat(((InputColumn.DateTime) one.featureSpec().columns().get(1)).parts())
          .as("a date has no hour")
          .containsExactly(DateTimePart.WEEKDAY, DateTimePart.YEARDAY, DateTimePart.ELAPSED);
      ColumnSummary summary = one.profile().get(0);
      assertThat(summary.kind()).isEqualTo("datetime");
      assertThat(summary.nulls()).isPositive();
      // 2023-01-01 is day 19358 since 1970-01-01; the readings span two years.
      assertThat(summary.min()).isBetween(19358.0, 19359.0);
      assertThat(summary.max()).isBetween(19358.0 + 729, 19358.0 + 731);
      assertThat(readAt.fill()).isEqualTo(summary.fill()).isBetween(summary.min(), summary.max());
      for (TrainingData other : loaded.subList(1, 3)) {
        assertThat(other.featureSpec()).isEqualTo(one.featureSpec());
        assertThat(other.normalizer()).isEqualTo(one.normalizer());
        assertThat(other.profile()).isEqualTo(one.profile());
      }
    } finally {
      loaded.forEach(TrainingData::release);
    }
  }

  @Test
  void aTimestampInItsZoneAndTheWallClockTextOfTheSameMomentsMakeTheSameInputsInAnySessionZone() {
    Path present = tmp.resolve("present");
    spark.read().parquet(TRAIN).filter(functions.col("read_at").isNotNull()).write().parquet(present.toString());
    String before = spark.conf().get("spark.sql.session.timeZone");
    List<float[][]> encoded = new ArrayList<>();
    try {
      for (String session : new String[] {"UTC", "America/New_York"}) {
        spark.conf().set("spark.sql.session.timeZone", session);
        DataConfig data =
            meters("unused", "data.train=" + present, "data.validation-fraction=0", "data.features=[" + READ_AT + ", " + LOGGED + "]")
                .config()
                .data();
        TrainingData loaded = TrainingData.load(spark, data, 1);
        try {
          List<float[]> rows = new ArrayList<>();
          for (MultiDataSet batch : loaded.trainMinibatches(500, Batches.single(loaded)).collect()) {
            INDArray x = batch.getFeatures(0);
            for (int r = 0; r < x.rows(); r++) {
              rows.add(x.getRow(r).toFloatVector());
            }
          }
          encoded.add(rows.toArray(float[][]::new));
        } finally {
          loaded.release();
        }
      }
    } finally {
      spark.conf().set("spark.sql.session.timeZone", before);
    }
    // Each column makes hour, weekday and day-of-year sin/cos pairs (6 inputs) and the elapsed days.
    for (float[][] rows : encoded) {
      assertThat(rows.length).isEqualTo(5000 - (int) spark.read().parquet(TRAIN).filter("read_at is null").count());
      for (float[] row : rows) {
        assertThat(java.util.Arrays.copyOfRange(row, 7, 13)).isEqualTo(java.util.Arrays.copyOfRange(row, 0, 6));
      }
    }
    assertThat(encoded.get(1)).isDeepEqualTo(encoded.get(0));
  }

  @Test
  void theModelCarriesItsDateTimeColumnsToEvaluatePredictAndSparkMl() throws Exception {
    TrainingRun.run(spark, meters("model", "training.epochs=8", "metrics.mode=fast"));
    TrainingRun.run(spark, meters("temperature", "training.epochs=8", "metrics.mode=fast", "data.features=[temperature_c]"));
    TrainedModel model = ModelFiles.load(tmp.resolve("model").toString(), new Configuration(), "--model");
    TrainedModel temperature = ModelFiles.load(tmp.resolve("temperature").toString(), new Configuration(), "--model");
    InputColumn.DateTime readAt = (InputColumn.DateTime) model.featureSpec().columns().get(0);
    assertThat(readAt.timeZone()).isEqualTo(SampleTables.METER_ZONE);
    assertThat(readAt.indicator()).isTrue();

    // Nulls in the test rows, more than in training: imputed, so every row is scored.
    Dataset<Row> test = spark.read().parquet(TEST);
    Dataset<Row> withNulls =
        test.withColumn("read_at", functions.when(functions.col("id").mod(5).equalTo(0), functions.lit(null)).otherwise(functions.col("read_at")));
    Path nullsPath = tmp.resolve("nulls");
    withNulls.write().parquet(nullsPath.toString());
    Evaluation.Result dated = Evaluation.run(spark, model, TEST, scoring(model));
    Evaluation.Result undated = Evaluation.run(spark, temperature, TEST, scoring(temperature));
    Evaluation.Result nulls = Evaluation.run(spark, model, nullsPath.toString(), scoring(model));
    assertThat(nulls.rowsSkipped()).isZero();
    assertThat(nulls.toJson().at("/count").asLong()).isEqualTo(test.count());
    double accuracy = dated.toJson().at("/accuracy").asDouble();
    // The load follows the hour, weekday and season, which only the read_at column carries.
    assertThat(accuracy).as("with read_at against temperature alone").isGreaterThan(undated.toJson().at("/accuracy").asDouble() + 0.1);
    assertThat(nulls.toJson().at("/accuracy").asDouble()).isLessThan(accuracy);

    // Text the format cannot read is an invalid row: an error naming the count, or skipped when asked.
    TrainingRun.run(spark, meters("text", "training.epochs=2", "metrics.mode=fast", "data.features=[" + LOGGED + ", temperature_c]"));
    TrainedModel text = ModelFiles.load(tmp.resolve("text").toString(), new Configuration(), "--model");
    Dataset<Row> garbled =
        test.withColumn("logged", functions.when(functions.col("id").mod(10).equalTo(0), functions.lit("soon")).otherwise(functions.col("logged")));
    Path garbledPath = tmp.resolve("garbled");
    garbled.write().parquet(garbledPath.toString());
    long unreadable = garbled.filter("logged = 'soon'").count();
    assertThat(unreadable).isPositive();
    assertThatThrownBy(
            () -> Prediction.run(
                spark, text, garbledPath.toString(), tmp.resolve("refused").toString(), Prediction.Keep.none(), false, scoring(text)))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith(unreadable + " of " + test.count() + " rows of " + garbledPath + " have features the model cannot take");
    assertThat(tmp.resolve("refused")).doesNotExist();
    Prediction.Summary skipped =
        Prediction.run(
            spark, text, garbledPath.toString(), tmp.resolve("skipped").toString(), new Prediction.Keep(List.of("id"), false), false,
            scoring(text, "data.drop-invalid=true"));
    assertThat(skipped.rowsSkipped()).isEqualTo(unreadable);

    // The Spark ML model reads the same columns with what its training learned, as predict does.
    SparkfitEstimator estimator =
        new SparkfitEstimator()
            .setLabelCol("load")
            .setConfig("data.features = [" + READ_AT + ", temperature_c]\ntraining.epochs = 2\nmetrics.mode = fast\ndata.validation-fraction = 0");
    SparkfitModel stage = estimator.fit(spark.read().parquet(TRAIN));
    assertThat(stage.trainedModel().featureSpec().columns().get(0)).isInstanceOf(InputColumn.DateTime.class);
    Map<Long, String> transformed = new HashMap<>();
    for (Row r : stage.transform(withNulls).select("id", "prediction").collectAsList()) {
      transformed.put(r.getLong(0), r.getString(1));
    }
    Prediction.run(
        spark, stage.trainedModel(), nullsPath.toString(), tmp.resolve("stage").toString(), new Prediction.Keep(List.of("id"), false), false,
        scoring(stage.trainedModel()));
    Map<Long, String> predicted = new HashMap<>();
    for (Row r : spark.read().parquet(tmp.resolve("stage").toString()).select("id", "prediction").collectAsList()) {
      predicted.put(r.getLong(0), r.getString(1));
    }
    assertThat(transformed).hasSize((int) test.count()).isEqualTo(predicted);
  }
}

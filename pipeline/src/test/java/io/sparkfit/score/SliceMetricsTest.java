package io.sparkfit.score;

import io.sparkfit.testing.Python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.inputs.MetricColumns;
import io.sparkfit.inputs.ModelInputs;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SparkJobs;
import io.sparkfit.testing.SparkTied;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.slices}: the slice values fixed from data.train and saved with the model, and
 * evaluate's metrics per slice, each equal to scikit-learn's on that slice's rows (weighted here too).
 */
@SparkTied
class SliceMetricsTest extends SharedSparkSession {
  private static final String NAMES = "metrics.names=[accuracy,precision,recall,f1,f1-weighted,f1-micro,log-loss]";
  private static final String[] COUNTRIES = {"fr", "fr", "fr", "fr", "de", "de", "de", "it", "es", null};
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("x1", DataTypes.DoubleType)
          .add("x2", DataTypes.DoubleType)
          .add("country", DataTypes.StringType)
          .add("y", DataTypes.IntegerType)
          .add("w", DataTypes.DoubleType);
  @TempDir static Path tmp;
  private static Path table;
  private static TrainedModel model;

  @BeforeAll
  static void trainWithSlices() {
    Random random = new Random(21);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      String country = COUNTRIES[i % COUNTRIES.length];
      // The classes are harder to tell apart in some countries, so the slices' metrics differ.
      double noise = "de".equals(country) ? 2.0 : 0.6;
      int y = x1 + 0.5 * x2 + random.nextGaussian() * noise > 0 ? 1 : 0;
      rows.add(RowFactory.create((long) i, x1, x2, country, y, random.nextInt(17) / 8.0));
    }
    table = tmp.resolve("sliced");
    spark.createDataFrame(rows, SCHEMA).repartition(2).write().parquet(table.toString());
    List<String> all =
        List.of(
            "data.train=" + table, "data.features=[x1,x2]", "data.label=y", "data.validation-fraction=0", "data.weight-column=w",
            "metrics.slices=[country]", "metrics.slice-values=2", "output.dir=" + tmp.resolve("model"), "training.epochs=3", NAMES);
    TrainingRun.run(spark, ConfigLoader.load(Repo.conf("quickstart.conf"), all));
    model = ModelFiles.load(tmp.resolve("model").toString(), new Configuration(), "--model");
  }

  private static ScoringConfig settings(String... overrides) {
    return ConfigLoader.loadScoring(List.of(overrides), model.task(), model.dropInvalid());
  }

  @Test
  void theMostFrequentValuesOfDataTrainAreSavedWithTheModel() {
    assertThat(model.inputs().metricColumns().slices()).containsExactly(new MetricColumns.SliceColumn("country", List.of("fr", "de")));
  }

  @Test
  void eachSliceMatchesScikitLearnOnItsRows() throws Exception {
    JsonNode ours = Evaluation.run(spark, model, table.toString(), settings(NAMES)).toJson();
    JsonNode slices = ours.at("/slices/country");
    assertThat(slices.fieldNames()).toIterable().containsExactly("fr", "de", "(other)", "(null)");
    long rows = 0;
    for (JsonNode slice : slices) {
      rows += slice.get("count").asLong();
    }
    assertThat(rows).isEqualTo(ours.get("count").asLong()).isEqualTo(1000);
    assertThat(slices.at("/(other)/count").asLong()).isEqualTo(200);

    Path out = tmp.resolve("predictions");
    Prediction.run(spark, model, table.toString(), out.toString(), new Prediction.Keep(List.of("country", "y", "w"), false), false, settings());
    Map<String, StringBuilder> csv = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).select("country", "w", "y", "probability").collectAsList()) {
      String country = r.isNullAt(0) ? "(null)" : r.getString(0);
      String slice = country.equals("fr") || country.equals("de") || country.equals("(null)") ? country : "(other)";
      List<Object> p = r.getList(3);
      csv.computeIfAbsent(slice, s -> new StringBuilder())
          .append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", r.getDouble(1), r.getInt(2), p.get(0), p.get(1)));
    }
    for (String slice : List.of("fr", "de", "(other)", "(null)")) {
      Map<String, Double> sklearn = sklearn(csv.get(slice));
      JsonNode block = slices.get(slice);
      for (String metric : List.of("accuracy", "precision", "recall", "f1", "f1-weighted", "f1-micro")) {
        assertThat(block.get(metric).asDouble()).as("%s in slice %s", metric, slice).isCloseTo(sklearn.get(metric), within(1e-9));
      }
      // scikit-learn renormalises float32 probabilities before its log (see WeightColumnTest).
      assertThat(block.get("log-loss").asDouble()).as("log-loss in slice %s", slice).isCloseTo(sklearn.get("log-loss"), within(1e-6));
    }
    assertThat(slices.at("/de/accuracy").asDouble()).as("the noisy slice").isLessThan(slices.at("/fr/accuracy").asDouble());
  }

  @Test
  void trainingWritesTheKeptModelsMetricsPerSliceToMetricsJsonAndTheReport() throws Exception {
    JsonNode training = new ObjectMapper().readTree(tmp.resolve("model").resolve(TrainingRun.METRICS_FILE).toFile());
    // No validation rows here (data.validation-fraction=0): the slices are of the training rows, all of data.train.
    assertThat(training.get("slices-rows").asText()).isEqualTo("train");
    JsonNode evaluated = Evaluation.run(spark, model, table.toString(), settings(NAMES)).toJson().get("slices");
    JsonNode slices = training.at("/slices/country");
    assertThat(slices.fieldNames()).toIterable().containsExactly("fr", "de", "(other)", "(null)");
    for (String slice : List.of("fr", "de", "(other)", "(null)")) {
      assertThat(slices.at("/" + slice + "/count").asLong()).as("rows of %s", slice).isEqualTo(evaluated.at("/country/" + slice + "/count").asLong());
      for (String metric : List.of("accuracy", "f1", "f1-weighted")) {
        assertThat(slices.at("/" + slice + "/" + metric).asDouble())
            .as("%s in slice %s", metric, slice)
            .isCloseTo(evaluated.at("/country/" + slice + "/" + metric).asDouble(), within(1e-9));
      }
    }
    String report = Files.readString(tmp.resolve("model").resolve("report.html"));
    assertThat(report).contains("Metrics by slice of country (train, kept model)").contains("<th style=\"text-align:left\">(other)</th><td>200</td>");
  }

  @Test
  void slicesCostEvaluateNoPassOfTheirOwn() {
    MetricColumns columns = model.inputs().metricColumns();
    ModelInputs i = model.inputs();
    TrainedModel unsliced =
        new TrainedModel(
            model.network(),
            new ModelInputs(i.task(), i.features(), i.layout(), i.label(), i.labelIndex(), i.normalizer(), new MetricColumns(columns.weightColumn(), List.of())),
            model.dropInvalid(),
            model.provenance());
    int withSlices = SparkJobs.during(spark, () -> Evaluation.run(spark, model, table.toString(), settings(NAMES)));
    int without = SparkJobs.during(spark, () -> Evaluation.run(spark, unsliced, table.toString(), settings(NAMES)));
    assertThat(withSlices).as("Spark jobs of evaluate with slices and without").isEqualTo(without).isPositive();
  }

  @Test
  void evaluateNeedsTheSliceColumn() {
    Path without = tmp.resolve("no-country");
    spark.read().parquet(table.toString()).drop("country").write().parquet(without.toString());
    assertThatThrownBy(() -> Evaluation.run(spark, model, without.toString(), settings(NAMES)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'country' (metrics.slices of the model) not found in " + without);
  }

  @Test
  void aSliceColumnMustBeInDataTrain() {
    List<String> all =
        List.of(
            "data.train=" + table, "data.features=[x1,x2]", "data.label=y", "data.validation-fraction=0",
            "metrics.slices=[region]", "output.dir=" + tmp.resolve("no-region"), "training.epochs=1");
    assertThatThrownBy(() -> TrainingRun.run(spark, ConfigLoader.load(Repo.conf("quickstart.conf"), all)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'region' (metrics.slices) not found in data.train");
  }

  /** scikit-learn's weighted metrics of a binary classifier's rows. */
  private static Map<String, Double> sklearn(StringBuilder csv) throws IOException, InterruptedException {
    return Python.weightedMetrics(csv, "classification", 2);
  }
}

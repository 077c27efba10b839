package io.sparkfit.score;

import io.sparkfit.testing.Python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkfit.DataValidationException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.guard.ChampionChallenger;
import io.sparkfit.guard.Comparison;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SparkTied;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * {@code data.weight-column} end to end: the weights reach the training loss, evaluate weighs its
 * metrics by the column the model was trained with (as scikit-learn's {@code sample_weight} does),
 * and bad weights are invalid rows.
 */
@SparkTied
class WeightColumnTest extends SharedSparkSession {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final String NAMES =
      "metrics.names=[accuracy,precision,recall,f1,precision-weighted,recall-weighted,f1-weighted,f1-micro,auc,log-loss]";
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("x1", DataTypes.DoubleType)
          .add("x2", DataTypes.DoubleType)
          .add("y", DataTypes.IntegerType)
          .add("w", DataTypes.DoubleType);
  @TempDir static Path tmp;
  private static Path table;
  private static Path threePartitions;
  private static TrainedModel weighted;

  /** Two overlapping classes; weights multiples of 1/8 from 0 to 2, so float32 and double agree on them. */
  private static List<Row> rows(int n, long seed, WeightRule rule) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      int y = x1 + 0.5 * x2 + random.nextGaussian() * 0.8 > 0 ? 1 : 0;
      rows.add(RowFactory.create((long) i, x1, x2, y, rule.weight(y, random)));
    }
    return rows;
  }

  @FunctionalInterface
  private interface WeightRule {
    double weight(int y, Random random);
  }

  private static final WeightRule EIGHTHS = (y, random) -> random.nextInt(17) / 8.0;

  private static Path write(List<Row> rows, String name, int partitions) {
    Path path = tmp.resolve(name);
    spark.createDataFrame(rows, SCHEMA).repartition(partitions).write().parquet(path.toString());
    return path;
  }

  private static Path train(Path data, String name, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("data.train=" + data);
    all.add("data.features=[x1,x2]");
    all.add("data.label=y");
    all.add("data.validation-fraction=0");
    all.add("output.dir=" + tmp.resolve(name));
    all.add("training.epochs=4");
    all.add(NAMES);
    all.addAll(List.of(overrides));
    TrainingRun.run(spark, ConfigLoader.load(Repo.conf("quickstart.conf"), all));
    return tmp.resolve(name);
  }

  private static TrainedModel load(Path dir) {
    return ModelFiles.load(dir.toString(), new Configuration(), "--model");
  }

  private static ScoringConfig settings(TrainedModel model, String... overrides) {
    return ConfigLoader.loadScoring(List.of(overrides), model.task(), model.dropInvalid());
  }

  @BeforeAll
  static void trainAWeightedModel() {
    List<Row> rows = rows(800, 3, EIGHTHS);
    table = write(rows, "weighted", 1);
    threePartitions = write(rows, "weighted-3", 3);
    weighted = load(train(table, "weighted-model", "data.weight-column=w"));
  }

  @Test
  void theModelRemembersItsWeightColumn() {
    assertThat(weighted.inputs().metricColumns().weightColumn()).contains("w");
  }

  @Test
  void evaluateWeighsItsMetricsAsScikitLearnsSampleWeight() throws Exception {
    JsonNode ours = Evaluation.run(spark, weighted, table.toString(), settings(weighted, NAMES)).toJson();
    assertThat(ours.get("weight-column").asText()).isEqualTo("w");
    assertThat(ours.get("count").asLong()).isEqualTo(800);

    // The model's probabilities for the same rows, from predict, with each row's label and weight.
    Path out = tmp.resolve("predictions");
    Prediction.run(spark, weighted, table.toString(), out.toString(), new Prediction.Keep(List.of("id", "y", "w"), false), false, settings(weighted));
    StringBuilder csv = weightLabelProbabilities(out);
    Map<String, Double> sklearn = sklearn(csv);
    for (String metric : List.of("accuracy", "precision", "recall", "f1", "precision-weighted", "recall-weighted", "f1-weighted", "f1-micro")) {
      assertThat(ours.get(metric).asDouble()).as(metric).isCloseTo(sklearn.get(metric), within(1e-9));
    }
    // scikit-learn renormalises each row of float32 softmax outputs (which sum to 1 within ~1e-7) before
    // its log; the histogram AUC's bins are 1/auc-bins wide. Both differ from the exact values by that much only.
    assertThat(ours.get("log-loss").asDouble()).isCloseTo(sklearn.get("log-loss"), within(1e-6));
    assertThat(ours.get("auc").asDouble()).isCloseTo(sklearn.get("auc"), within(2e-3));
    // metrics.exact-auc sorts the weighted scores instead: scikit-learn's weighted AUC on the same probabilities.
    JsonNode exact = Evaluation.run(spark, weighted, table.toString(), settings(weighted, NAMES, "metrics.exact-auc=true")).toJson();
    assertThat(exact.get("auc-method").asText()).isEqualTo("exact");
    assertThat(exact.get("auc").asDouble()).isCloseTo(sklearn.get("auc"), within(1e-9));
    assertThat(exact.get("accuracy").asDouble()).isEqualTo(ours.get("accuracy").asDouble());
    // And the weights matter: the same rows with weight 1 give another accuracy.
    double unweighted = accuracy(sklearn(new StringBuilder(csv.toString().replaceAll("(?m)^[^,]+,", "1.0,"))));
    assertThat(ours.get("accuracy").asDouble()).isNotCloseTo(unweighted, within(1e-6));
  }

  private static double accuracy(Map<String, Double> values) {
    return values.get("accuracy");
  }

  @Test
  void oneOrThreePartitionsGiveTheSameResults() throws Exception {
    String names = NAMES.replace("]", ",confusion-matrix]");
    JsonNode one = Evaluation.run(spark, weighted, table.toString(), settings(weighted, names)).toJson();
    inSmallPartitions(() -> {
      JsonNode three = Evaluation.run(spark, weighted, threePartitions.toString(), settings(weighted, names)).toJson();
      // The sums are exact, so the states merge to the same values; only the network's float32 outputs can
      // differ in their last bits when the rows are grouped into other minibatches, which the logs show.
      for (String metric : List.of("loss", "log-loss")) {
        // Float32 outputs: a relative 1e-7, their own rounding, not the sums' 1e-9.
        assertThat(three.get(metric).asDouble()).as(metric).isCloseTo(one.get(metric).asDouble(), within(1e-7 * one.get(metric).asDouble()));
      }
      com.fasterxml.jackson.databind.node.ObjectNode a = ((com.fasterxml.jackson.databind.node.ObjectNode) one.deepCopy());
      com.fasterxml.jackson.databind.node.ObjectNode b = ((com.fasterxml.jackson.databind.node.ObjectNode) three.deepCopy());
      a.remove(List.of("loss", "log-loss"));
      b.remove(List.of("loss", "log-loss"));
      assertThat(b).isEqualTo(a);
      assertThat(one.at("/confusion-matrix/weights")).hasSize(2);
    });
  }

  @FunctionalInterface
  private interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check} while the three-partition table reads as (at least) three partitions. */
  private static void inSmallPartitions(Check check) throws Exception {
    // Small files are packed into one read partition unless partitions are kept this small.
    String key = "spark.sql.files.maxPartitionBytes";
    String before = spark.conf().get(key);
    spark.conf().set(key, "1024");
    try {
      assertThat(spark.read().parquet(threePartitions.toString()).javaRDD().getNumPartitions()).isGreaterThanOrEqualTo(3);
      check.run();
    } finally {
      spark.conf().set(key, before);
    }
  }

  @Test
  void compareWeighsTheHoldoutByTheModelsWeightColumn() throws Exception {
    // The champion was trained by weight, the challenger not: the rows weigh what the champion's column says.
    TrainedModel plain = load(train(table, "plain-challenger"));
    GuardConfig.Promote gate = new GuardConfig.Promote(Optional.empty(), Optional.empty(), 0, 0.05);
    int bins = settings(weighted).metrics().aucBins();
    ChampionChallenger.Named champion = new ChampionChallenger.Named("weighted-model", weighted);
    ChampionChallenger.Named challenger = new ChampionChallenger.Named("plain-challenger", plain);
    Comparison one = ChampionChallenger.compare(spark, champion, challenger, table.toString(), "--data", gate, 256, bins);
    assertThat(one.weighting().column()).isEqualTo("w");
    assertThat(one.rows()).isEqualTo(800);
    assertThat(one.classes().championAccuracy().value()).isCloseTo(weightedAccuracy(weighted, "champion-p"), within(1e-9));
    assertThat(one.classes().challengerAccuracy().value()).isCloseTo(weightedAccuracy(plain, "challenger-p"), within(1e-9));
    // The champion's side is what evaluate reports for it: the same weighted accuracy and histogram AUC.
    JsonNode evaluated = Evaluation.run(spark, weighted, table.toString(), settings(weighted, NAMES)).toJson();
    assertThat(one.classes().championAccuracy().value()).isCloseTo(evaluated.get("accuracy").asDouble(), within(1e-9));
    assertThat(one.auc().champion()).isCloseTo(evaluated.get("auc").asDouble(), within(1e-9));
    assertThat(one.auc().method()).contains("weighted ROC AUC");
    assertThat(one.line()).contains("in weighted accuracy");

    // Three partitions pair the same rows into the same exact sums.
    inSmallPartitions(() -> {
      Comparison three = ChampionChallenger.compare(spark, champion, challenger, threePartitions.toString(), "--data", gate, 256, bins);
      assertThat(three.weighting()).isEqualTo(one.weighting());
      assertThat(three.classes()).isEqualTo(one.classes());
      assertThat(three.auc()).isEqualTo(one.auc());
      assertThat(three.shortfallP()).isEqualTo(one.shortfallP());
    });

    // Rows without a valid weight are skipped by both models, and counted.
    List<Row> badWeights = new ArrayList<>(rows(200, 4, EIGHTHS));
    badWeights.set(17, RowFactory.create(17L, 0.5, 0.5, 1, -0.25));
    badWeights.set(18, RowFactory.create(18L, 0.5, 0.5, 0, null));
    badWeights.set(19, RowFactory.create(19L, 0.5, 0.5, 0, 1e300));
    Comparison skipping = ChampionChallenger.compare(spark, champion, challenger, write(badWeights, "bad-weights", 2).toString(), "--data", gate, 256, bins);
    assertThat(skipping.rows()).isEqualTo(197);
    assertThat(skipping.rowsSkipped()).isEqualTo(3);

    // Two models weighing rows by different columns cannot be compared.
    Path byV = tmp.resolve("weighed-by-v");
    spark.createDataFrame(rows(200, 8, EIGHTHS), SCHEMA).withColumnRenamed("w", "v").write().parquet(byV.toString());
    TrainedModel other = load(train(byV, "v-model", "data.weight-column=v", "training.epochs=1"));
    assertThatThrownBy(
            () -> ChampionChallenger.compare(spark, champion, new ChampionChallenger.Named("other", other), table.toString(), "--data", gate, 256, bins))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("weighs rows by column 'w', the challenger other by 'v'");
  }

  /** scikit-learn's accuracy with {@code sample_weight = w} of {@code model}'s predictions for the table. */
  private static double weightedAccuracy(TrainedModel model, String name) throws Exception {
    Path out = tmp.resolve(name);
    Prediction.run(spark, model, table.toString(), out.toString(), new Prediction.Keep(List.of("y", "w"), false), false, settings(model));
    return accuracy(sklearn(weightLabelProbabilities(out)));
  }

  /** Predictions kept with their weight and label, as the CSV rows scikit-learn's script reads: w, y, p0, p1. */
  private static StringBuilder weightLabelProbabilities(Path predictions) {
    StringBuilder csv = new StringBuilder();
    for (Row r : spark.read().parquet(predictions.toString()).select("w", "y", "probability").collectAsList()) {
      List<Object> p = r.getList(2);
      csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", r.getDouble(0), r.getInt(1), p.get(0), p.get(1)));
    }
    return csv;
  }

  @Test
  void weightsReachTheTrainingLoss() throws IOException {
    // Class 1 weighs nothing: a model trained by weight learns only class 0 and predicts it almost everywhere.
    List<Row> rows = rows(800, 9, (y, random) -> y == 1 ? 0.0 : 1.0);
    Path data = write(rows, "class-one-weighs-nothing", 2);
    Path byWeightDir = train(data, "by-weight", "data.weight-column=w", "metrics.mode=full");
    TrainedModel byWeight = load(byWeightDir);
    TrainedModel plain = load(train(data, "plain"));
    // Scored on the same rows, each weighing 1, so the confusion matrices count predictions.
    Path units = write(rows(800, 9, (y, random) -> 1.0), "unit-weights", 2);
    String names = "metrics.names=[confusion-matrix]";
    long plainOnes = predictedOnes(Evaluation.run(spark, plain, units.toString(), settings(plain, names)).toJson());
    long weightedOnes = predictedOnes(Evaluation.run(spark, byWeight, units.toString(), settings(byWeight, names)).toJson());
    assertThat(plainOnes).as("the unweighted model predicts class 1 often").isGreaterThan(200);
    assertThat(weightedOnes).as("predictions of class 1, weighted vs unweighted %s", plainOnes).isLessThan(plainOnes / 10);
    // The training metrics weigh too (they read the labels mask DL4J set on the output layer): only class 0
    // counts, and the model predicts it, so the weighted training accuracy is near 1, not the ~0.5 of counting.
    JsonNode training = JSON.readTree(byWeightDir.resolve("metrics.json").toFile()).at("/final/train");
    assertThat(training.get("accuracy").asDouble()).isGreaterThan(0.9);
  }

  @Test
  void theTrainingLossIsTheWeightedMean() throws IOException {
    // Every row weighs 2, and a learning rate too small to move the parameters: each epoch's training
    // loss is then the initial network's mean loss, weighted or not. DL4J's score sums weight x loss
    // per row, so without dividing by the weights it would read twice as much.
    Path data = write(rows(600, 12, (y, random) -> 2.0), "weighing-two", 2);
    String[] still = {"model.updater.type=sgd", "model.updater.learning-rate=1e-12", "training.epochs=2"};
    JsonNode twos = epochs(train(data, "weighing-two-model", concat(still, "data.weight-column=w")));
    JsonNode ones = epochs(train(data, "weighing-one-model", still));
    assertThat(twos).hasSize(2).hasSameSizeAs(ones);
    for (int e = 0; e < twos.size(); e++) {
      double one = ones.get(e).at("/train/loss").asDouble();
      assertThat(twos.get(e).at("/train/loss").asDouble()).as("epoch %d's training loss, weights 2 vs none", e + 1).isCloseTo(one, within(1e-6 * one));
    }
  }

  private static JsonNode epochs(Path output) throws IOException {
    return JSON.readTree(output.resolve("metrics.json").toFile()).get("epochs");
  }

  private static String[] concat(String[] a, String... b) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
  }

  /** Rows predicted as class 1: a weighted model's matrix sums weights, here all 1. */
  private static long predictedOnes(JsonNode json) {
    JsonNode matrix = json.get("confusion-matrix");
    JsonNode cells = matrix.has("weights") ? matrix.get("weights") : matrix.get("counts");
    return Math.round(cells.get(0).get(1).asDouble() + cells.get(1).get(1).asDouble());
  }

  @Test
  void aNegativeWeightIsAnInvalidRowNamingTheColumn() {
    List<Row> rows = new ArrayList<>(rows(200, 4, EIGHTHS));
    rows.set(17, RowFactory.create(17L, 0.5, 0.5, 1, -0.25));
    Path data = write(rows, "negative", 2);
    assertThatThrownBy(() -> train(data, "negative-model", "data.weight-column=w"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1 invalid rows")
        .hasMessageContaining("weight column 'w' (data.weight-column) has value -0.25")
        .hasMessageContaining("data.drop-invalid=true");
    // Evaluate reads the weights of the model's column as strictly.
    assertThatThrownBy(() -> Evaluation.run(spark, weighted, data.toString(), settings(weighted, NAMES)))
        .isInstanceOf(DataValidationException.class)
        .hasMessageContaining("1 of 200 rows")
        .hasMessageContaining("invalid weight in column 'w'")
        .hasMessageContaining("-0.25");
    JsonNode dropped = Evaluation.run(spark, weighted, data.toString(), settings(weighted, NAMES, "data.drop-invalid=true")).toJson();
    assertThat(dropped.get("count").asLong()).isEqualTo(199);
    assertThat(dropped.get("rows-skipped").asLong()).isEqualTo(1);
  }

  @Test
  void theWeightColumnMustBeNumericNotAFeatureNorTheLabel() {
    assertThatThrownBy(() -> train(table, "w-feature", "data.weight-column=x1"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid config: data.weight-column 'x1' is also listed in data.features [x1, x2]");
    assertThatThrownBy(() -> train(table, "w-label", "data.weight-column=y"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid config: data.weight-column 'y' is also data.label");
    assertThatThrownBy(() -> train(table, "w-missing", "data.weight-column=nope"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'nope' (data.weight-column) not found in data.train");
  }

  /** scikit-learn's weighted metrics of a binary classifier's rows. */
  private static Map<String, Double> sklearn(StringBuilder csv) throws IOException, InterruptedException {
    return Python.weightedMetrics(csv, "classification", 2);
  }
}

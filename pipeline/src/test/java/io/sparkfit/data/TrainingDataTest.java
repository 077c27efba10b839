package io.sparkfit.data;

import io.sparkfit.testing.SparkTied;
import static io.sparkfit.testing.SampleTables.field;
import static io.sparkfit.testing.SampleTables.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Imputation;
import io.sparkfit.config.Normalization;
import io.sparkfit.config.Task;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.Normalizer;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SharedSparkSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

@SparkTied
class TrainingDataTest extends SharedSparkSession {
  @TempDir static Path tmp;

  private static DataConfig config(String train, List<String> features, String label, Task task) {
    return new DataConfig(train, Optional.empty(), 0.0, named(features), label, task, Normalization.STANDARD, false, Optional.empty());
  }

  /** Plain column names: kinds from the types, defaults for everything else (mean imputation). */
  static List<FeatureColumn> named(List<String> names) {
    return names.stream().map(FeatureColumn::named).toList();
  }

  /** Numeric columns whose missing values make a row invalid. */
  static List<FeatureColumn> strict(List<String> names) {
    return names.stream().map(n -> FeatureColumn.named(n).withImpute(Imputation.NONE)).toList();
  }

  private static String sample(String name) {
    return Repo.dataSamples().resolve(name).toString();
  }

  private static String write(String name, Dataset<Row> table) {
    String path = tmp.resolve(name).toString();
    table.write().mode("overwrite").parquet(path);
    return path;
  }

  private static List<DataSet> collect(JavaRDD<org.nd4j.linalg.dataset.api.MultiDataSet> batches) {
    return io.sparkfit.testing.Batches.dataSets(batches);
  }

  @Test
  void numericColumnsWithStringLabelsAndASeededSplit() {
    DataConfig c =
        new DataConfig(
            sample("customers"), Optional.empty(), 0.2, named(SampleTables.CUSTOMER_FEATURES), "segment",
            Task.CLASSIFICATION, Normalization.STANDARD, false, Optional.empty());
    TrainingData data = TrainingData.load(spark, c, 42);
    try {
      assertThat(data.featureSpec().columnNames()).isEqualTo(SampleTables.CUSTOMER_FEATURES);
      assertThat(data.featureSpec().width()).isEqualTo(5);
      assertThat(data.featureSpec().columns()).allSatisfy(column -> assertThat(column).isInstanceOf(InputColumn.Numeric.class));
      assertThat(data.labelIndex().kind()).isEqualTo(LabelKind.STRING_CLASS);
      assertThat(data.labelIndex().values()).containsExactly("bronze", "gold", "silver");
      long train = data.trainCounts().used();
      long validation = data.validationCounts().used();
      assertThat(train + validation).isEqualTo(1500);
      assertThat(validation).isBetween(250L, 350L);

      List<DataSet> batches = collect(data.trainMinibatches(64, io.sparkfit.testing.Batches.single(data)));
      assertThat(batches.stream().mapToInt(DataSet::numExamples).sum()).isEqualTo((int) train);
      assertThat(batches).allSatisfy(b -> assertThat(b.numExamples()).isLessThanOrEqualTo(64));
      DataSet all = DataSet.merge(batches);
      // Standardised on the training rows: mean 0, standard deviation 1 per feature.
      double[] mean = all.getFeatures().mean(0).toDoubleVector();
      double[] std = all.getFeatures().std(false, 0).toDoubleVector();
      for (int j = 0; j < 5; j++) {
        assertThat(mean[j]).isCloseTo(0.0, within(1e-4));
        assertThat(std[j]).isCloseTo(1.0, within(1e-4));
      }
      // One-hot labels, one per row.
      assertThat(all.getLabels().sum(1).toDoubleVector()).containsOnly(1.0);
      assertThat(collect(data.validationMinibatches(64, io.sparkfit.testing.Batches.single(data)).orElseThrow()).stream().mapToInt(DataSet::numExamples).sum())
          .isEqualTo((int) validation);
    } finally {
      data.release();
    }
  }

  @Test
  void theSplitIsTheSameForTheSameSeed() {
    DataConfig c =
        new DataConfig(
            sample("customers"), Optional.empty(), 0.2, named(SampleTables.CUSTOMER_FEATURES), "segment",
            Task.CLASSIFICATION, Normalization.STANDARD, false, Optional.empty());
    TrainingData a = TrainingData.load(spark, c, 7);
    TrainingData b = TrainingData.load(spark, c, 7);
    TrainingData other = TrainingData.load(spark, c, 8);
    assertThat(a.trainCounts()).isEqualTo(b.trainCounts());
    assertThat(a.normalizer()).isEqualTo(b.normalizer());
    assertThat(other.normalizer()).isNotEqualTo(a.normalizer());
    a.release();
    b.release();
    other.release();
  }

  @Test
  void anArrayColumnWithIntLabels() {
    TrainingData data = TrainingData.load(spark, config(sample("sensors"), List.of("readings"), "state", Task.CLASSIFICATION), 1);
    assertThat(data.featureSpec()).isEqualTo(new FeatureSpec(List.of(new InputColumn.Array("readings", 16))));
    assertThat(data.labelIndex().values()).containsExactly(0L, 1L, 2L, 3L);
    assertThat(data.trainCounts().used()).isEqualTo(1200);
    assertThat(data.hasValidation()).isFalse();
    DataSet all = DataSet.merge(collect(data.trainMinibatches(100, io.sparkfit.testing.Batches.single(data))));
    assertThat(all.getFeatures().shape()).containsExactly(1200, 16);
    assertThat(all.getLabels().shape()).containsExactly(1200, 4);
    data.release();
  }

  @Test
  void aVectorColumnWithDoubleLabelsAndMinMaxScaling() {
    DataConfig c =
        new DataConfig(sample("vectors"), Optional.empty(), 0, named(List.of("features")), "label", Task.CLASSIFICATION, Normalization.MIN_MAX, false, Optional.empty());
    TrainingData data = TrainingData.load(spark, c, 1);
    assertThat(data.featureSpec()).isEqualTo(new FeatureSpec(List.of(new InputColumn.Array("features", 8))));
    assertThat(data.labelIndex().values()).containsExactly(0.0, 1.0);
    DataSet all = DataSet.merge(collect(data.trainMinibatches(100, io.sparkfit.testing.Batches.single(data))));
    assertThat(all.getFeatures().minNumber().doubleValue()).isCloseTo(0.0, within(1e-6));
    assertThat(all.getFeatures().maxNumber().doubleValue()).isCloseTo(1.0, within(1e-6));
    data.release();
  }

  @Test
  void aRegressionTargetIsStandardisedForTheNetwork() {
    DataConfig c =
        new DataConfig(
            sample("houses/train"), Optional.of(sample("houses/validation")), 0.2, named(SampleTables.HOUSE_FEATURES), "price_k",
            Task.REGRESSION, Normalization.STANDARD, false, Optional.empty());
    TrainingData data = TrainingData.load(spark, c, 1);
    assertThat(data.labelIndex().kind()).isEqualTo(LabelKind.TARGET);
    assertThat(data.trainCounts().used()).isEqualTo(1000);
    assertThat(data.validationCounts().used()).isEqualTo(250);
    Normalizer n = data.normalizer();
    double[] prices =
        spark.read().parquet(sample("houses/train")).select("price_k").collectAsList().stream()
            .mapToDouble(r -> r.getDouble(0))
            .toArray();
    double mean = Arrays.stream(prices).average().orElseThrow();
    assertThat(n.targetShift()).isCloseTo(mean, within(1e-9));
    DataSet all = DataSet.merge(collect(data.trainMinibatches(128, io.sparkfit.testing.Batches.single(data))));
    assertThat(all.getLabels().meanNumber().doubleValue()).isCloseTo(0.0, within(1e-4));
    // Every target maps back to a stored price (to float precision).
    for (int i = 0; i < 20; i++) {
      double price = n.unscaleTarget(all.getLabels().getDouble(i, 0));
      assertThat(Arrays.stream(prices).anyMatch(p -> Math.abs(p - price) < 0.05)).as("price %s", price).isTrue();
    }
    data.release();
  }

  @Test
  void minibatchesAreMadePerPartition() {
    Dataset<Row> table = SampleTables.sensors(spark, 3, 30, 4, 2).repartition(3);
    String path = write("three-partitions", table);
    TrainingData data = TrainingData.load(spark, config(path, List.of("readings"), "state", Task.CLASSIFICATION), 1);
    List<List<DataSet>> perPartition =
        data.trainMinibatches(4, io.sparkfit.testing.Batches.single(data)).glom().collect().stream()
            .map(p -> p.stream().map(io.sparkfit.testing.Batches::dataSet).toList())
            .toList();
    int[] rowsPerPartition =
        spark.read().parquet(path).javaRDD().glom().map(List::size).collect().stream().mapToInt(Integer::intValue).toArray();
    assertThat(perPartition).hasSize(rowsPerPartition.length);
    for (int p = 0; p < perPartition.size(); p++) {
      int rows = rowsPerPartition[p];
      assertThat(perPartition.get(p)).hasSize((rows + 3) / 4);
      assertThat(perPartition.get(p).stream().mapToInt(DataSet::numExamples).sum()).isEqualTo(rows);
    }
    data.release();
  }

  private static final StructType XY =
      schema(field("x1", DataTypes.DoubleType), field("x2", DataTypes.DoubleType), field("y", DataTypes.StringType));

  private static String xy(String name, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return write(name, spark.createDataFrame(list, XY).coalesce(1));
  }

  @Test
  void aClassOfFewerThan50RowsKeepsThemAllForTrainingWhenTheSplitIsMade() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(new Object[] {(double) i, (double) (i % 7), i % 2 == 0 ? "common" : "usual"});
    }
    for (int i = 0; i < TrainingData.MIN_CLASS_ROWS_TO_SPLIT - 1; i++) {
      rows.add(new Object[] {(double) i, -1.0, "rare"});
    }
    String path = xy("rare", rows.toArray(new Object[0][]));
    DataConfig c = new DataConfig(path, Optional.empty(), 0.5, named(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.NONE, false, Optional.empty());
    List<String> log = io.sparkfit.testing.TestLogs.capture(TrainingData.class.getName(), () -> TrainingData.load(spark, c, 3).release());
    assertThat(log)
        .contains("Classes with fewer than 50 rows keep them all for training, none held out for validation (data.validation-fraction): [rare]");
    TrainingData data = TrainingData.load(spark, c, 3);
    try {
      int rare = data.labelIndex().values().indexOf("rare");
      DataSet train = DataSet.merge(collect(data.trainMinibatches(64, io.sparkfit.testing.Batches.single(data))));
      DataSet validation = DataSet.merge(collect(data.validationMinibatches(64, io.sparkfit.testing.Batches.single(data)).orElseThrow()));
      assertThat(train.getLabels().getColumn(rare).sumNumber().intValue()).as("every rare row trains").isEqualTo(49);
      assertThat(validation.getLabels().getColumn(rare).sumNumber().intValue()).isZero();
      assertThat(train.numExamples() + validation.numExamples()).as("no row lost or counted twice").isEqualTo(449);
      assertThat(validation.numExamples()).as("the other classes are split as configured").isBetween(150, 250);
    } finally {
      data.release();
    }
  }

  @Test
  void withoutImputationNullAndNaNValuesFailWithTheCountAndAnExample() {
    String path = xy("invalid", new Object[] {1.0, 2.0, "a"}, new Object[] {null, 2.0, "b"}, new Object[] {1.0, Double.NaN, "a"}, new Object[] {3.0, 1.0, null}, new Object[] {0.5, 0.5, "b"});
    DataConfig c = new DataConfig(path, Optional.empty(), 0, strict(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.NONE, false, Optional.empty());
    assertThatThrownBy(() -> TrainingData.load(spark, c, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "data.train has 3 invalid rows, e.g. feature column 'x1' is null or NaN (impute = none) in row {y: b, x1: null, x2: 2.0} "
                + "(set data.drop-invalid=true to drop them)");
  }

  @Test
  void byDefaultMissingNumbersAreFilledWithTheTrainingMeanAndOnlyAMissingLabelIsInvalid() {
    String path = xy("imputed", new Object[] {1.0, 2.0, "a"}, new Object[] {null, 2.0, "b"}, new Object[] {1.0, Double.NaN, "a"}, new Object[] {3.0, 1.0, null}, new Object[] {2.0, 6.0, "b"});
    assertThatThrownBy(() -> TrainingData.load(spark, config(path, List.of("x1", "x2"), "y", Task.CLASSIFICATION), 1))
        .hasMessage(
            "data.train has 1 invalid rows, e.g. label column 'y' is null or not finite in row {y: null, x1: 3.0, x2: 1.0} "
                + "(set data.drop-invalid=true to drop them)");
    DataConfig c = new DataConfig(path, Optional.empty(), 0, named(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.NONE, true, Optional.empty());
    TrainingData data = TrainingData.load(spark, c, 1);
    try {
      assertThat(data.trainCounts()).isEqualTo(new TrainingData.RowCounts(5, 1));
      // Means over the valid rows that have a value: x1 of 1, 1, 2 and x2 of 2, 2, 6.
      assertThat(data.featureSpec().columns())
          .containsExactly(new InputColumn.Numeric("x1", 4.0 / 3, false), new InputColumn.Numeric("x2", 10.0 / 3, false));
      DataSet all = DataSet.merge(collect(data.trainMinibatches(10, io.sparkfit.testing.Batches.single(data))));
      assertThat(all.getFeatures().toFloatMatrix())
          .isEqualTo(new float[][] {{1f, 2f}, {(float) (4.0 / 3), 2f}, {1f, (float) (10.0 / 3)}, {2f, 6f}});
      assertThat(data.profile().get(0).nulls()).isEqualTo(1);
    } finally {
      data.release();
    }
  }

  @Test
  void dropInvalidDropsAndCountsThem() {
    String path = xy("droppable", new Object[] {1.0, 2.0, "a"}, new Object[] {null, 2.0, "b"}, new Object[] {1.0, Double.POSITIVE_INFINITY, "a"}, new Object[] {0.5, 0.5, "b"});
    DataConfig c = new DataConfig(path, Optional.empty(), 0, strict(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.NONE, true, Optional.empty());
    TrainingData data = TrainingData.load(spark, c, 1);
    assertThat(data.trainCounts()).isEqualTo(new TrainingData.RowCounts(4, 2));
    DataSet all = DataSet.merge(collect(data.trainMinibatches(10, io.sparkfit.testing.Batches.single(data))));
    assertThat(all.numExamples()).isEqualTo(2);
    assertThat(all.getFeatures().toDoubleMatrix()).isEqualTo(new double[][] {{1.0, 2.0}, {0.5, 0.5}});
    data.release();
  }

  @Test
  void emptyDataMissingPathsAndOneClassAreRefused() {
    String empty = write("empty", spark.createDataFrame(List.of(), XY));
    assertThatThrownBy(() -> TrainingData.load(spark, config(empty, List.of("x1"), "y", Task.CLASSIFICATION), 1))
        .hasMessage("data.train = " + empty + " has no rows");
    String missing = tmp.resolve("does-not-exist").toString();
    assertThatThrownBy(() -> TrainingData.load(spark, config(missing, List.of("x1"), "y", Task.CLASSIFICATION), 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot read data.train = " + missing + ": [PATH_NOT_FOUND] Path does not exist");
    String oneClass = xy("one-class", new Object[] {1.0, 2.0, "a"}, new Object[] {2.0, 2.0, "a"});
    assertThatThrownBy(() -> TrainingData.load(spark, config(oneClass, List.of("x1"), "y", Task.CLASSIFICATION), 1))
        .hasMessage("label column 'y' in data.train has only one class [a]; classification needs at least two");
  }

  @Test
  void fractionalDoubleLabelsAreNotClasses() {
    StructType s = schema(field("x", DataTypes.DoubleType), field("label", DataTypes.DoubleType));
    String path =
        write("fractional", spark.createDataFrame(List.of(RowFactory.create(1.0, 0.0), RowFactory.create(2.0, 0.37)), s).coalesce(1));
    assertThatThrownBy(() -> TrainingData.load(spark, config(path, List.of("x"), "label", Task.CLASSIFICATION), 1))
        .hasMessageStartingWith("label column 'label' in data.train has a value that is not a whole number in row {label: 0.37, x: 2.0}");
  }

  @Test
  void arraysOfDifferentLengthsAreRefused() {
    StructType s = schema(field("v", DataTypes.createArrayType(DataTypes.DoubleType)), field("y", DataTypes.IntegerType));
    String path =
        write(
            "ragged",
            spark.createDataFrame(List.of(RowFactory.create(new Double[] {1.0, 2.0}, 0), RowFactory.create(new Double[] {1.0, 2.0, 3.0}, 1)), s)
                .coalesce(1));
    assertThatThrownBy(() -> TrainingData.load(spark, config(path, List.of("v"), "y", Task.CLASSIFICATION), 1))
        .hasMessage("feature column 'v' in data.train has arrays of different lengths: 2 in row {y: 0, v: [1.0, 2.0]} and 3 in row {y: 1, v: [1.0, 2.0, 3.0]}");
  }

  @Test
  void validationLabelsMustBeInTheTrainingLabelIndex() {
    String train = xy("train-ab", new Object[] {1.0, 2.0, "a"}, new Object[] {2.0, 1.0, "b"});
    String validation = xy("validation-c", new Object[] {1.0, 2.0, "c"});
    DataConfig c =
        new DataConfig(train, Optional.of(validation), 0.2, named(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.STANDARD, false, Optional.empty());
    assertThatThrownBy(() -> TrainingData.load(spark, c, 1))
        .hasMessage("label column 'y' in data.validation has value 'c' not in the label index [a, b] built from data.train");
  }

  @Test
  void validationMustHaveTheSameColumns() {
    String train = xy("train-xy", new Object[] {1.0, 2.0, "a"}, new Object[] {2.0, 1.0, "b"});
    String validation = write("validation-other", SampleTables.vectors(spark, 1, 5, 2, 2));
    DataConfig c =
        new DataConfig(train, Optional.of(validation), 0, named(List.of("x1", "x2")), "y", Task.CLASSIFICATION, Normalization.STANDARD, false, Optional.empty());
    assertThatThrownBy(() -> TrainingData.load(spark, c, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'x1' (data.features) not found in data.validation");
  }

  @Test
  void parquetReaderBatchesAreBoundedInBytesWhileTheRowsAreCached() {
    long wide = 784 * 8 + 16; // a row of 784 pixels as the estimate counts it
    assertThat(TableReader.readBatchRows(wide, 4096)).isEqualTo(TableReader.READ_BATCH_BYTES / wide);
    assertThat(TableReader.readBatchRows(wide, 4096) * wide).isLessThanOrEqualTo(TableReader.READ_BATCH_BYTES);
    assertThat(TableReader.readBatchRows(40, 4096)).isEqualTo(4096); // narrow rows keep Spark's default
    assertThat(TableReader.readBatchRows(wide, 100)).isEqualTo(100); // a smaller setting of the user's stays
    assertThat(TableReader.readBatchRows(1L << 30, 4096)).isEqualTo(16);

    String key = "spark.sql.parquet.columnarReaderBatchSize";
    Dataset<Row> table = spark.range(4).select(org.apache.spark.sql.functions.array_repeat(org.apache.spark.sql.functions.lit(0.5), 1000).as("v"));
    String before = spark.conf().get(key);
    String during = TableReader.withReadBatches(table, List.of("v"), () -> spark.conf().get(key));
    assertThat(Long.parseLong(during)).isEqualTo(TableReader.readBatchRows(4 + 1000 * 8, 4096));
    assertThat(during).isNotEqualTo(before);
    assertThat(spark.conf().get(key)).as("put back").isEqualTo(before);
  }
}

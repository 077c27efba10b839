package io.sparkfit.features;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.DateTimeOptions;
import io.sparkfit.config.DateTimePart;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.config.Imputation;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each kind's two forms of its validity rule — the Java predicate profiling and encoding apply to
 * rows, and the Spark SQL column scoring filters with — say the same for generated projected values:
 * nulls, NaN, infinities, empty and ragged arrays, null elements and steps; unfitted (training's
 * rule, from the configuration) and fitted (the model's rule, from its inputs).
 */
@SparkTied
// jqwik reads its own tag, not JUnit Jupiter's (which @SparkTied carries): both, so -Dgroups=spark-tied keeps it.
@net.jqwik.api.Tag("spark-tied")
class ValidityFormsAgreeTest {
  private static SparkSession spark;

  @BeforeContainer
  static void startSpark() {
    spark = SparkTestSession.start();
  }

  @AfterContainer
  static void stopSpark() {
    spark.stop();
  }

  private static final Arbitrary<Double> NUMBERS =
      Arbitraries.oneOf(
              Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0),
              Arbitraries.doubles().between(-1e6, 1e6))
          .injectNull(0.15);

  private static FeatureColumn column(FeatureKind kind, Imputation impute) {
    return FeatureColumn.named("x").withKind(kind).withImpute(impute);
  }

  /** Features of every kind, in both forms, with the projected type their values have. */
  private record Case(Feature feature, DataType projected) {
    @Override
    public String toString() {
      return feature.toString() + (feature.sqlType().equals(feature.kind()) ? " fitted" : " unfitted");
    }
  }

  @Provide
  Arbitrary<Case> features() {
    return Arbitraries.of(cases());
  }

  private static List<Case> cases() {
    DataType array = DataTypes.createArrayType(DataTypes.DoubleType);
    DataType sequence = DataTypes.createArrayType(array);
    DateTimeOptions options = DateTimeOptions.DEFAULT;
    return List.of(
        new Case(new NumericFeature(column(FeatureKind.NUMERIC, Imputation.MEAN), "double"), DataTypes.DoubleType),
        new Case(new NumericFeature(column(FeatureKind.NUMERIC, Imputation.NONE), "double"), DataTypes.DoubleType),
        new Case(Features.encoding(new InputColumn.Numeric("x", 1.5, true)), DataTypes.DoubleType),
        new Case(Features.encoding(new InputColumn.Numeric("x", null, false)), DataTypes.DoubleType),
        new Case(new CategoricalFeature(column(FeatureKind.CATEGORICAL, Imputation.MEAN), "string"), DataTypes.StringType),
        new Case(Features.encoding(new InputColumn.Categorical("x", List.of("a", "b"))), DataTypes.StringType),
        new Case(new ArrayFeature(column(FeatureKind.AUTO, Imputation.MEAN), "array<double>", false), array),
        new Case(Features.encoding(new InputColumn.Array("x", 3)), array),
        new Case(new SequenceFeature(column(FeatureKind.AUTO, Imputation.MEAN), "array<array<double>>"), sequence),
        new Case(Features.encoding(new InputColumn.Sequence("x", 2)), sequence),
        new Case(
            new DateTimeFeature(column(FeatureKind.DATETIME, Imputation.MEDIAN), "timestamp", DateTimeFeature.Storage.TIMESTAMP, "t"),
            DataTypes.DoubleType),
        new Case(
            new DateTimeFeature(column(FeatureKind.DATETIME, Imputation.NONE), "date", DateTimeFeature.Storage.DATE, "t"),
            DataTypes.DoubleType),
        new Case(
            Features.encoding(new InputColumn.DateTime("x", null, "UTC", List.of(DateTimePart.HOUR, DateTimePart.ELAPSED), 2.5, false)),
            DataTypes.DoubleType),
        new Case(
            Features.encoding(new InputColumn.DateTime("x", "yyyy", "UTC", List.of(DateTimePart.WEEKDAY), null, true)),
            DataTypes.DoubleType));
  }

  /** A projected value of {@code type}: a number, text, an array or a sequence, with nulls and non-finite values inside. */
  private static Arbitrary<Object> values(DataType type) {
    Arbitrary<List<Double>> arrays = NUMBERS.list().ofMaxSize(4);
    if (type == DataTypes.DoubleType) {
      return NUMBERS.map(Object.class::cast);
    }
    if (type == DataTypes.StringType) {
      return Arbitraries.of("a", "b", "c", "").injectNull(0.2).map(Object.class::cast);
    }
    // Well-formed values too (the trained length, every value finite), or a fitted rule is rarely met.
    Arbitrary<Double> finite = Arbitraries.doubles().between(-1e6, 1e6);
    if (type.sameType(DataTypes.createArrayType(DataTypes.DoubleType))) {
      return Arbitraries.oneOf(arrays.injectNull(0.1), finite.list().ofSize(3)).map(Object.class::cast);
    }
    Arbitrary<List<List<Double>>> wellFormed = finite.list().ofSize(2).list().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.oneOf(arrays.injectNull(0.1).list().ofMaxSize(3).injectNull(0.1), wellFormed).map(Object.class::cast);
  }

  /** A case and twenty projected values of its type. */
  @Provide
  Arbitrary<Tuple.Tuple2<Case, List<Object>>> tables() {
    return features().flatMap(c -> values(c.projected()).list().ofSize(20).map(v -> Tuple.of(c, v)));
  }

  @Property(tries = 80)
  void theJavaRuleAndTheSparkRuleAgree(@ForAll("tables") Tuple.Tuple2<Case, List<Object>> table) {
    agreeingValidRows(table.get1(), table.get2());
  }

  /**
   * Every case on fixed values that hold both outcomes: a rule that always said the same would make
   * the property pass vacuously, and random tries (jqwik's edge cases first) need not include an
   * invalid row for every case.
   */
  @Example
  void everyCaseSeesValidAndInvalidRows() {
    List<Double> numbers = java.util.Arrays.asList(null, Double.NaN, Double.POSITIVE_INFINITY, 1.5, 0.0);
    List<Object> arrays = java.util.Arrays.asList(null, List.of(), List.of(Double.NaN, 1.0, 2.0), List.of(1.0, 2.0, 3.0), List.of(1.0, 2.0, 3.0, 4.0));
    List<Object> sequences =
        java.util.Arrays.asList(
            null, List.of(), List.of(List.of(Double.NaN, 1.0)), List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)), List.of(List.of(1.0, 2.0)));
    for (Case c : cases()) {
      if (c.projected() == DataTypes.StringType) {
        continue;
      }
      List<Object> values =
          c.projected() == DataTypes.DoubleType ? new ArrayList<>(numbers) : c.projected().sameType(DataTypes.createArrayType(DataTypes.DoubleType)) ? arrays : sequences;
      int valid = agreeingValidRows(c, values);
      assertThat(valid).as("%s: valid rows", c).isPositive();
      assertThat(values.size() - valid).as("%s: invalid rows", c).isPositive();
    }
  }

  /** Checks that both rules agree on every one of {@code values} for {@code c}; returns how many rows are valid. */
  private static int agreeingValidRows(Case c, List<Object> generated) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < generated.size(); i++) {
      rows.add(RowFactory.create(i, generated.get(i)));
    }
    StructType schema =
        new StructType().add("id", DataTypes.IntegerType, false).add("value", c.projected(), true);
    List<Row> checked =
        spark.createDataFrame(rows, schema)
            .withColumn("valid", c.feature().valid(functions.col("value")))
            .orderBy("id")
            .collectAsList();
    int validRows = 0;
    for (Row row : checked) {
      boolean java = c.feature().invalid(row, 1) == null;
      assertThat(row.isNullAt(2)).as("the SQL rule is never null, for %s", row).isFalse();
      assertThat(row.getBoolean(2)).as("%s on %s", c, row).isEqualTo(java);
      validRows += java ? 1 : 0;
    }
    return validRows;
  }
}

package io.sparkfit.features;

import static io.sparkfit.testing.SampleTables.field;
import static io.sparkfit.testing.SampleTables.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ArrayScaling;
import io.sparkfit.config.DateTimeOptions;
import io.sparkfit.config.DateTimePart;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Imputation;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.config.Task;
import io.sparkfit.data.SchemaMapper;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.LabelKind;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FeaturesTest {
  private static final StructType TABLE =
      schema(
          field("x_int", DataTypes.IntegerType),
          field("x_long", DataTypes.LongType),
          field("x_float", DataTypes.FloatType),
          field("x_double", DataTypes.DoubleType),
          field("x_decimal", DataTypes.createDecimalType(10, 2)),
          field("floats", DataTypes.createArrayType(DataTypes.FloatType)),
          field("doubles", DataTypes.createArrayType(DataTypes.DoubleType)),
          field("strings", DataTypes.createArrayType(DataTypes.StringType)),
          field("vec", SQLDataTypes.VectorType()),
          field("name", DataTypes.StringType),
          field("flag", DataTypes.BooleanType),
          field("y_int", DataTypes.IntegerType),
          field("y_short", DataTypes.ShortType),
          field("y_string", DataTypes.StringType),
          field("y_double", DataTypes.DoubleType),
          field("day", DataTypes.DateType),
          field("at", DataTypes.TimestampType),
          field("local_at", DataTypes.TimestampNTZType));

  /** Each column's kind, and "vector" for an array read from a Spark ML vector. */
  private static List<String> types(FeatureColumn... features) {
    return Features.read(TABLE, List.of(features), "t.parquet").stream()
        .map(f -> f.sqlType().equals("vector") ? "vector" : f.kind())
        .toList();
  }

  private static FeatureColumn named(String column) {
    return FeatureColumn.named(column);
  }

  private static LabelKind label(String column, Task task) {
    return SchemaMapper.labelKind(TABLE, column, task, "t.parquet");
  }

  @Test
  void anyMixOfNumericCategoricalArrayAndVectorColumns() {
    assertThat(
            types(
                named("x_int"), named("x_long"), named("x_float"), named("x_double"), named("x_decimal"), named("flag"),
                named("name"), named("floats"), named("doubles"), named("vec")))
        .containsExactly(
            "numeric", "numeric", "numeric", "numeric",
            "numeric", "numeric", "categorical", "array",
            "array", "vector");
  }

  @Test
  void wholeNumbersAreCategoricalOnlyWhenDeclared() {
    assertThat(types(named("x_int").withKind(FeatureKind.CATEGORICAL), named("x_long").withKind(FeatureKind.CATEGORICAL)))
        .containsExactly("categorical", "categorical");
    assertThat(types(named("x_int").withKind(FeatureKind.NUMERIC))).containsExactly("numeric");
  }

  @Test
  void labelKindsFollowTheColumnTypeAndTask() {
    assertThat(label("y_int", Task.CLASSIFICATION)).isEqualTo(LabelKind.INT_CLASS);
    assertThat(label("y_short", Task.CLASSIFICATION)).isEqualTo(LabelKind.INT_CLASS);
    assertThat(label("y_string", Task.CLASSIFICATION)).isEqualTo(LabelKind.STRING_CLASS);
    assertThat(label("y_double", Task.CLASSIFICATION)).isEqualTo(LabelKind.DOUBLE_CLASS);
    assertThat(label("flag", Task.CLASSIFICATION)).isEqualTo(LabelKind.BOOLEAN_CLASS);
    assertThat(label("y_double", Task.REGRESSION)).isEqualTo(LabelKind.TARGET);
    assertThat(label("y_int", Task.REGRESSION)).isEqualTo(LabelKind.TARGET);
  }

  @Test
  void missingColumnsNameTheKeyAndTheColumnsThatExist() {
    assertThatThrownBy(() -> types(named("x_int"), named("nope")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'nope' (data.features) not found in t.parquet; its columns are [x_int, x_long,");
    assertThatThrownBy(() -> label("label", Task.CLASSIFICATION))
        .hasMessageStartingWith("column 'label' (data.label) not found in t.parquet");
  }

  @Test
  void wrongFeatureTypesNameTheColumnAndType() {
    assertThatThrownBy(() -> types(named("strings")))
        .hasMessage(
            "feature column 'strings' in t.parquet has type array<string> (an array feature column must be array<float> or array<double>)");
    assertThatThrownBy(() -> types(named("x_double").withKind(FeatureKind.CATEGORICAL)))
        .hasMessage(
            "feature column 'x_double' in t.parquet has type double, but is declared kind = categorical (categorical columns are string, int or long)");
    assertThatThrownBy(() -> types(named("name").withKind(FeatureKind.NUMERIC)))
        .hasMessage(
            "feature column 'name' in t.parquet has type string, but is declared kind = numeric (numeric columns are numbers or booleans)");
    assertThatThrownBy(() -> types(named("vec").withKind(FeatureKind.CATEGORICAL)))
        .hasMessageStartingWith("feature column 'vec' in t.parquet has type vector, but is declared kind = categorical");
  }

  @Test
  void labelsOfTheWrongKindAreRefused() {
    assertThatThrownBy(() -> label("y_string", Task.REGRESSION))
        .hasMessage("label column 'y_string' in t.parquet has type string; data.task = regression needs a numeric column");
    assertThatThrownBy(() -> label("floats", Task.CLASSIFICATION))
        .hasMessage(
            "label column 'floats' in t.parquet has type array<float>; data.task = classification needs an int, string, boolean or double column");
  }

  @Test
  void anotherTableMustFeedTheInputsTheModelRead() {
    Feature scoring = Features.read(TABLE, named("name"), "new.parquet");
    assertThatThrownBy(() -> Features.checkFeeds(scoring, new InputColumn.Numeric("name", 0.0, false), "new.parquet"))
        .hasMessage("feature column 'name' in new.parquet has type string (categorical), but the model reads it as numeric");
  }

  private static FeatureColumn dateTime(String column, DateTimeOptions options) {
    return new FeatureColumn(
        column, FeatureKind.DATETIME, FeatureColumn.NO_CAP, 1, FeatureColumn.DEFAULT_MAX_DISTINCT, Imputation.MEAN, 0.0, false, List.of(),
        options, ArrayScaling.AUTO);
  }

  @Test
  void datesAndTimestampsAreDateTimeColumnsAndStringsWhenDeclared() {
    assertThat(types(named("day"), named("at"), named("local_at"))).containsExactly("datetime", "datetime", "datetime");
    assertThat(types(named("name"))).containsExactly("categorical");
    assertThat(types(named("name").withKind(FeatureKind.DATETIME))).containsExactly("datetime");
    assertThatThrownBy(() -> types(named("x_double").withKind(FeatureKind.DATETIME)))
        .hasMessage(
            "feature column 'x_double' in t.parquet has type double, but is declared kind = datetime (datetime columns are date, timestamp or string)");
  }

  @Test
  void dateTimeOptionsThatDoNotFitTheColumnNameIt() {
    assertThatThrownBy(() -> types(dateTime("day", new DateTimeOptions(null, null, List.of(DateTimePart.HOUR)))))
        .hasMessage("feature column 'day' in t.parquet is a date: it has no hour (leave hour out of its parts)");
    assertThatThrownBy(() -> types(dateTime("at", new DateTimeOptions("yyyy-MM-dd", null, null))))
        .hasMessage("feature column 'at' in t.parquet has type timestamp: format applies to a string column (leave it out)");
    assertThatThrownBy(() -> types(dateTime("name", new DateTimeOptions(null, "Europe/Berlin", null))))
        .hasMessageStartingWith("feature column 'name' in t.parquet has type string: time-zone applies to a timestamp column or to text whose format reads an offset");
    assertThat(types(dateTime("at", new DateTimeOptions(null, "Europe/Berlin", null)))).containsExactly("datetime");
    FeatureColumn zoned = new FeatureColumn(
        "name", FeatureKind.AUTO, FeatureColumn.NO_CAP, 1, FeatureColumn.DEFAULT_MAX_DISTINCT, Imputation.MEAN, 0.0, false, List.of(),
        new DateTimeOptions("yyyy", null, null), ArrayScaling.AUTO);
    assertThatThrownBy(() -> types(zoned))
        .hasMessageStartingWith("feature column 'name' in t.parquet has type string: format, time-zone and parts apply to a date or timestamp column");
  }
}

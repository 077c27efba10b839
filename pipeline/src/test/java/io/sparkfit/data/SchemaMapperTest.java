package io.sparkfit.data;

import static io.sparkfit.testing.SampleTables.field;
import static io.sparkfit.testing.SampleTables.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.config.Task;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SchemaMapperTest {
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
          field("y_double", DataTypes.DoubleType));

  private static List<SourceColumn.Type> types(FeatureColumn... features) {
    return SchemaMapper.features(TABLE, List.of(features), "t.parquet").stream().map(SourceColumn::type).toList();
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
            SourceColumn.Type.NUMERIC, SourceColumn.Type.NUMERIC, SourceColumn.Type.NUMERIC, SourceColumn.Type.NUMERIC,
            SourceColumn.Type.NUMERIC, SourceColumn.Type.NUMERIC, SourceColumn.Type.CATEGORICAL, SourceColumn.Type.ARRAY,
            SourceColumn.Type.ARRAY, SourceColumn.Type.VECTOR);
  }

  @Test
  void wholeNumbersAreCategoricalOnlyWhenDeclared() {
    assertThat(types(named("x_int").withKind(FeatureKind.CATEGORICAL), named("x_long").withKind(FeatureKind.CATEGORICAL)))
        .containsExactly(SourceColumn.Type.CATEGORICAL, SourceColumn.Type.CATEGORICAL);
    assertThat(types(named("x_int").withKind(FeatureKind.NUMERIC))).containsExactly(SourceColumn.Type.NUMERIC);
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
    List<SourceColumn> scoring = SchemaMapper.features(TABLE, List.of(named("name")), "new.parquet");
    assertThatThrownBy(() -> SchemaMapper.checkFeeds(scoring, List.of(new InputColumn.Numeric("name", 0.0, false)), "new.parquet"))
        .hasMessage("feature column 'name' in new.parquet has type string (categorical), but the model reads it as numeric");
  }
}

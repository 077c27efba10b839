package io.sparkfit.data;

import static io.sparkfit.testing.SampleTables.field;
import static io.sparkfit.testing.SampleTables.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
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

  private static ColumnMapping map(List<String> features, String label, Task task) {
    return SchemaMapper.map(TABLE, features, label, task, "t.parquet");
  }

  @Test
  void numericColumnsOfAnyNumericType() {
    ColumnMapping m = map(List.of("x_int", "x_long", "x_float", "x_double", "x_decimal"), "y_int", Task.CLASSIFICATION);
    assertThat(m.layout()).isEqualTo(FeatureLayout.COLUMNS);
    assertThat(m.featureColumns()).containsExactly("x_int", "x_long", "x_float", "x_double", "x_decimal");
    assertThat(map(List.of("x_double"), "y_int", Task.CLASSIFICATION).layout()).isEqualTo(FeatureLayout.COLUMNS);
  }

  @Test
  void aSingleArrayOfFloatsOrDoubles() {
    assertThat(map(List.of("floats"), "y_int", Task.CLASSIFICATION).layout()).isEqualTo(FeatureLayout.ARRAY);
    assertThat(map(List.of("doubles"), "y_int", Task.CLASSIFICATION).layout()).isEqualTo(FeatureLayout.ARRAY);
  }

  @Test
  void aSingleSparkMlVector() {
    assertThat(map(List.of("vec"), "y_double", Task.CLASSIFICATION).layout()).isEqualTo(FeatureLayout.VECTOR);
  }

  @Test
  void labelKindsFollowTheColumnTypeAndTask() {
    assertThat(map(List.of("vec"), "y_int", Task.CLASSIFICATION).labelKind()).isEqualTo(LabelKind.INT_CLASS);
    assertThat(map(List.of("vec"), "y_short", Task.CLASSIFICATION).labelKind()).isEqualTo(LabelKind.INT_CLASS);
    assertThat(map(List.of("vec"), "y_string", Task.CLASSIFICATION).labelKind()).isEqualTo(LabelKind.STRING_CLASS);
    assertThat(map(List.of("vec"), "y_double", Task.CLASSIFICATION).labelKind()).isEqualTo(LabelKind.DOUBLE_CLASS);
    assertThat(map(List.of("vec"), "y_double", Task.REGRESSION).labelKind()).isEqualTo(LabelKind.TARGET);
    assertThat(map(List.of("vec"), "y_int", Task.REGRESSION).labelKind()).isEqualTo(LabelKind.TARGET);
  }

  @Test
  void missingColumnsNameTheKeyAndTheColumnsThatExist() {
    assertThatThrownBy(() -> map(List.of("x_int", "nope"), "y_int", Task.CLASSIFICATION))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("column 'nope' (data.features) not found in t.parquet; its columns are [x_int, x_long,");
    assertThatThrownBy(() -> map(List.of("x_int"), "label", Task.CLASSIFICATION))
        .hasMessageStartingWith("column 'label' (data.label) not found in t.parquet");
  }

  @Test
  void wrongFeatureTypesNameTheColumnAndType() {
    assertThatThrownBy(() -> map(List.of("x_int", "name"), "y_int", Task.CLASSIFICATION))
        .hasMessage(
            "feature column 'name' in t.parquet has type string (must be numeric; an array<float|double> or vector column must be the only feature)");
    assertThatThrownBy(() -> map(List.of("strings"), "y_int", Task.CLASSIFICATION))
        .hasMessage(
            "feature column 'strings' in t.parquet has type array<string> (an array feature column must be array<float> or array<double>)");
    assertThatThrownBy(() -> map(List.of("x_int", "vec"), "y_int", Task.CLASSIFICATION))
        .hasMessageStartingWith("feature column 'vec' in t.parquet has type vector (must be numeric;");
  }

  @Test
  void labelsOfTheWrongKindAreRefused() {
    assertThatThrownBy(() -> map(List.of("x_int"), "y_string", Task.REGRESSION))
        .hasMessage("label column 'y_string' in t.parquet has type string; data.task = regression needs a numeric column");
    assertThatThrownBy(() -> map(List.of("x_int"), "flag", Task.CLASSIFICATION))
        .hasMessage(
            "label column 'flag' in t.parquet has type boolean; data.task = classification needs an int, string or double column");
  }

  @Test
  void compatibleTablesMustShareLayoutAndLabelKind() {
    ColumnMapping train = map(List.of("vec"), "y_int", Task.CLASSIFICATION);
    ColumnMapping other = new ColumnMapping(FeatureLayout.VECTOR, List.of("vec"), "y_int", LabelKind.STRING_CLASS);
    assertThatThrownBy(() -> SchemaMapper.checkCompatible(train, other, "data.validation"))
        .hasMessage("label column 'y_int' in data.validation holds STRING_CLASS, but the model was trained on INT_CLASS");
  }

}

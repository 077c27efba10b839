package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Task;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Maps a table's schema to a {@link ColumnMapping}, failing with the column, its type and the path. */
public final class SchemaMapper {

  private SchemaMapper() {}

  public static ColumnMapping map(StructType schema, List<String> features, String label, Task task, String source) {
    StructField labelField = field(schema, label, "data.label", source);
    LabelKind labelKind = labelKind(labelField, task, source);
    return new ColumnMapping(featureLayout(schema, features, source), features, label, labelKind);
  }

  /** How the feature columns are laid out; fails naming a missing column or one of the wrong type. */
  public static FeatureLayout featureLayout(StructType schema, List<String> features, String source) {
    if (features.size() == 1) {
      StructField f = field(schema, features.get(0), "data.features", source);
      DataType type = f.dataType();
      if (type instanceof ArrayType array) {
        DataType element = array.elementType();
        InvalidInputException.check(
            element instanceof FloatType || element instanceof DoubleType,
            "feature column '%s' in %s has type %s (an array feature column must be array<float> or array<double>)",
            f.name(),
            source,
            type.simpleString());
        return FeatureLayout.ARRAY;
      }
      if (type instanceof VectorUDT) {
        return FeatureLayout.VECTOR;
      }
    }
    for (String name : features) {
      StructField f = field(schema, name, "data.features", source);
      InvalidInputException.check(
          isNumeric(f.dataType()),
          "feature column '%s' in %s has type %s (must be numeric; an array<float|double> or vector column must be the only feature)",
          name,
          source,
          f.dataType().simpleString());
    }
    return FeatureLayout.COLUMNS;
  }

  /** Checks that another table (validation, scoring) has the same layout and label kind. */
  public static void checkCompatible(ColumnMapping expected, ColumnMapping actual, String source) {
    InvalidInputException.check(
        expected.layout() == actual.layout(),
        "features in %s are laid out as %s, but the model takes %s",
        source,
        actual.layout(),
        expected.layout());
    InvalidInputException.check(
        expected.labelKind() == actual.labelKind(),
        "label column '%s' in %s holds %s, but the model was trained on %s",
        actual.labelColumn(),
        source,
        actual.labelKind(),
        expected.labelKind());
  }

  private static StructField field(StructType schema, String name, String key, String source) {
    int index = Arrays.asList(schema.fieldNames()).indexOf(name);
    InvalidInputException.check(
        index >= 0,
        "column '%s' (%s) not found in %s; its columns are %s",
        name,
        key,
        source,
        Arrays.toString(schema.fieldNames()));
    return schema.fields()[index];
  }

  /** What kind of label a column holds for the task; fails naming the column when it is missing or unfit. */
  public static LabelKind labelKind(StructType schema, String label, Task task, String source) {
    return labelKind(field(schema, label, "data.label", source), task, source);
  }

  private static LabelKind labelKind(StructField label, Task task, String source) {
    DataType type = label.dataType();
    if (task == Task.REGRESSION) {
      InvalidInputException.check(
          isNumeric(type),
          "label column '%s' in %s has type %s; data.task = regression needs a numeric column",
          label.name(),
          source,
          type.simpleString());
      return LabelKind.TARGET;
    }
    if (type instanceof StringType) {
      return LabelKind.STRING_CLASS;
    }
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType) {
      return LabelKind.INT_CLASS;
    }
    if (type instanceof FloatType || type instanceof DoubleType) {
      return LabelKind.DOUBLE_CLASS;
    }
    throw InvalidInputException.of(
        "label column '%s' in %s has type %s; data.task = classification needs an int, string or double column",
        label.name(),
        source,
        type instanceof BooleanType ? "boolean" : type.simpleString());
  }

  private static boolean isNumeric(DataType type) {
    return type instanceof NumericType || type instanceof DecimalType;
  }
}

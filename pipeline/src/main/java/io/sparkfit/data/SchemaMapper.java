package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.config.Task;
import java.util.ArrayList;
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

/** Reads what a table's feature and label columns are from its schema, failing with the column, its type and the path. */
public final class SchemaMapper {

  private SchemaMapper() {}

  /** Each configured feature column as this table stores it. */
  static List<SourceColumn> features(StructType schema, List<FeatureColumn> features, String source) {
    List<SourceColumn> columns = new ArrayList<>();
    for (FeatureColumn f : features) {
      columns.add(feature(schema, f, source));
    }
    for (SourceColumn column : columns) {
      InvalidInputException.check(
          column.type() != SourceColumn.Type.SEQUENCE || columns.size() == 1,
          "feature column '%s' in %s is a sequence (%s): a sequence column must be the only entry of data.features, found %s",
          column.name(), source, column.sqlType(), features.stream().map(FeatureColumn::column).toList());
    }
    return columns;
  }

  static SourceColumn feature(StructType schema, FeatureColumn config, String source) {
    StructField field = field(schema, config.column(), "data.features", source);
    DataType type = field.dataType();
    String sqlType = type.simpleString();
    FeatureKind declared = config.kind();
    SourceColumn.Type read;
    if (type instanceof ArrayType outer && outer.elementType() instanceof ArrayType inner) {
      InvalidInputException.check(
          inner.elementType() instanceof FloatType || inner.elementType() instanceof DoubleType,
          "feature column '%s' in %s has type %s (a sequence column must be array<array<float>> or array<array<double>>)",
          config.column(), source, sqlType);
      read = SourceColumn.Type.SEQUENCE;
    } else if (type instanceof ArrayType array) {
      InvalidInputException.check(
          array.elementType() instanceof FloatType || array.elementType() instanceof DoubleType,
          "feature column '%s' in %s has type %s (an array feature column must be array<float> or array<double>)",
          config.column(), source, sqlType);
      read = SourceColumn.Type.ARRAY;
    } else if (type instanceof VectorUDT) {
      read = SourceColumn.Type.VECTOR;
      sqlType = "vector";
    } else if (type instanceof StringType) {
      read = SourceColumn.Type.CATEGORICAL;
    } else if (isWhole(type)) {
      read = declared == FeatureKind.CATEGORICAL ? SourceColumn.Type.CATEGORICAL : SourceColumn.Type.NUMERIC;
    } else if (isNumeric(type) || type instanceof BooleanType) {
      read = SourceColumn.Type.NUMERIC;
    } else {
      throw InvalidInputException.of(
          "feature column '%s' in %s has type %s (feature columns are numeric, boolean, string, array<float|double>, array<array<float|double>> or vector)",
          config.column(), source, sqlType);
    }
    InvalidInputException.check(
        config.shape().isEmpty() || read == SourceColumn.Type.ARRAY || read == SourceColumn.Type.VECTOR,
        "Invalid shape of data.features '%s': %s (column '%s' in %s has type %s; a shape applies to an array<float|double> or vector column)",
        config.column(), config.shape(), config.column(), source, sqlType);
    if (declared == FeatureKind.CATEGORICAL) {
      InvalidInputException.check(
          read == SourceColumn.Type.CATEGORICAL,
          "feature column '%s' in %s has type %s, but is declared kind = categorical (categorical columns are string, int or long)",
          config.column(), source, sqlType);
    } else if (declared == FeatureKind.NUMERIC) {
      InvalidInputException.check(
          read == SourceColumn.Type.NUMERIC,
          "feature column '%s' in %s has type %s, but is declared kind = numeric (numeric columns are numbers or booleans)",
          config.column(), source, sqlType);
    }
    return new SourceColumn(config, read, sqlType);
  }

  /**
   * Checks that another table's columns (validation, scoring) can feed the inputs the training
   * columns made: the same kind, column by column.
   */
  static void checkFeeds(List<SourceColumn> columns, List<InputColumn> inputs, String source) {
    for (int i = 0; i < inputs.size(); i++) {
      SourceColumn column = columns.get(i);
      InputColumn input = inputs.get(i);
      InvalidInputException.check(
          column.feeds(input),
          "feature column '%s' in %s has type %s (%s), but the model reads it as %s",
          column.name(), source, column.sqlType(), column.kind(), input.kind());
    }
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
    StructField field = field(schema, label, "data.label", source);
    DataType type = field.dataType();
    if (task == Task.REGRESSION) {
      InvalidInputException.check(
          isNumeric(type),
          "label column '%s' in %s has type %s; data.task = regression needs a numeric column",
          label,
          source,
          type.simpleString());
      return LabelKind.TARGET;
    }
    if (type instanceof StringType) {
      return LabelKind.STRING_CLASS;
    }
    if (isWhole(type)) {
      return LabelKind.INT_CLASS;
    }
    if (type instanceof FloatType || type instanceof DoubleType) {
      return LabelKind.DOUBLE_CLASS;
    }
    if (type instanceof BooleanType) {
      return LabelKind.BOOLEAN_CLASS;
    }
    throw InvalidInputException.of(
        "label column '%s' in %s has type %s; data.task = classification needs an int, string, boolean or double column",
        label,
        source,
        type.simpleString());
  }

  private static boolean isWhole(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType;
  }

  private static boolean isNumeric(DataType type) {
    return type instanceof NumericType || type instanceof DecimalType;
  }
}

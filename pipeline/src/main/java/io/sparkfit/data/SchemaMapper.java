package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Task;
import io.sparkfit.inputs.LabelColumn;
import io.sparkfit.inputs.LabelKind;
import java.util.Arrays;
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

/**
 * Reads what a table's label column is from its schema, failing with the column, its type and the
 * path. (Feature columns are matched by their kinds: {@code features.Features}.)
 */
public final class SchemaMapper {

  private SchemaMapper() {}

  /** The Spark type of a label column as the model saved it: what predictions of a class are. */
  public static DataType labelType(LabelColumn label) {
    return DataType.fromDDL(label.sqlType());
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

  /** Checks that the weight column ({@code data.weight-column}) is in {@code schema} and numeric. */
  public static void checkWeight(StructType schema, String weight, String source) {
    DataType type = field(schema, weight, "data.weight-column", source).dataType();
    InvalidInputException.check(
        isNumeric(type),
        "weight column '%s' (data.weight-column) in %s has type %s; weights must be a numeric column",
        weight,
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

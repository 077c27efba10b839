package io.sparkfit.data;

import io.sparkfit.config.FeatureColumn;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * A configured feature column as one table stores it: the configuration and what its Spark type
 * makes of it. Read from the schema before any row is touched.
 */
record SourceColumn(FeatureColumn config, Type type, String sqlType) implements Serializable {

  /** How the column's values are read. */
  enum Type {
    /** Numbers and booleans, read as double; null and NaN are missing. */
    NUMERIC,
    /** Strings, or whole numbers declared categorical, read as text. */
    CATEGORICAL,
    /** {@code array<float|double>}, read as {@code array<double>}. */
    ARRAY,
    /** A Spark ML vector, read as {@code array<double>}. */
    VECTOR,
    /** {@code array<array<float|double>>}: time steps of values, read as {@code array<array<double>>}. */
    SEQUENCE
  }

  String name() {
    return config.column();
  }

  /** The column as the rest of the pipeline reads it: double, string or {@code array<double>}. */
  Column projection() {
    Column column = TableReader.column(name());
    return switch (type) {
      case NUMERIC -> column.cast("double");
      case CATEGORICAL -> column.cast("string");
      case ARRAY -> column.cast("array<double>");
      case VECTOR -> org.apache.spark.ml.functions.vector_to_array(column, "float64");
      case SEQUENCE -> column.cast("array<array<double>>");
    };
  }

  /** Whether a model input of {@code input}'s kind can read this column. */
  boolean feeds(InputColumn input) {
    return switch (type) {
      case NUMERIC -> input instanceof InputColumn.Numeric;
      case CATEGORICAL -> input instanceof InputColumn.Categorical;
      case ARRAY, VECTOR -> input instanceof InputColumn.Array;
      case SEQUENCE -> input instanceof InputColumn.Sequence;
    };
  }

  /** The column's kind for messages. */
  String kind() {
    return switch (type) {
      case NUMERIC -> "numeric";
      case CATEGORICAL -> "categorical";
      case ARRAY, VECTOR -> "array";
      case SEQUENCE -> "sequence";
    };
  }

  static Column struct(java.util.List<SourceColumn> columns) {
    Column[] fields = new Column[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = columns.get(i).projection().as(fieldName(i));
    }
    return functions.struct(fields);
  }

  /** The name of feature {@code i} in projected rows and feature structs (any column name may hold dots). */
  static String fieldName(int i) {
    return "f" + i;
  }
}

package io.sparkfit.features;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
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
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Which {@link Feature} kind a column is, from its Spark type and its configuration: the one place a
 * kind is matched to a schema. Failures name the column, its type and the table.
 */
public final class Features {

  private Features() {}

  /** Each configured feature column as this table stores it, unfitted. */
  public static List<Feature> read(StructType schema, List<FeatureColumn> configured, String source) {
    List<Feature> features = new ArrayList<>();
    for (FeatureColumn f : configured) {
      features.add(read(schema, f, source));
    }
    for (Feature feature : features) {
      InvalidInputException.check(
          !(feature instanceof SequenceFeature) || features.size() == 1,
          "feature column '%s' in %s is a sequence (%s): a sequence column must be the only entry of data.features, found %s",
          feature.name(), source, feature.sqlType(), configured.stream().map(FeatureColumn::column).toList());
    }
    return features;
  }

  /** One configured feature column as this table stores it, unfitted. */
  public static Feature read(StructType schema, FeatureColumn config, String source) {
    DataType type = field(schema, config.column(), "data.features", source).dataType();
    String sqlType = type.simpleString();
    FeatureKind declared = config.kind();
    Optional<DateTimeFeature.Storage> dateTime = dateTimeStorage(type, declared);
    Feature feature;
    if (type instanceof ArrayType outer && outer.elementType() instanceof ArrayType inner) {
      InvalidInputException.check(
          isFloating(inner.elementType()),
          "feature column '%s' in %s has type %s (a sequence column must be array<array<float>> or array<array<double>>)",
          config.column(), source, sqlType);
      feature = new SequenceFeature(config, sqlType);
    } else if (type instanceof ArrayType array) {
      InvalidInputException.check(
          isFloating(array.elementType()),
          "feature column '%s' in %s has type %s (an array feature column must be array<float> or array<double>)",
          config.column(), source, sqlType);
      feature = new ArrayFeature(config, sqlType, false);
    } else if (type instanceof VectorUDT) {
      feature = new ArrayFeature(config, "vector", true);
    } else if (dateTime.isPresent()) {
      feature = new DateTimeFeature(config, sqlType, dateTime.get(), source);
    } else if (type instanceof StringType || isWhole(type) && declared == FeatureKind.CATEGORICAL) {
      feature = new CategoricalFeature(config, sqlType);
    } else if (isNumeric(type) || type instanceof BooleanType) {
      feature = new NumericFeature(config, sqlType);
    } else {
      throw InvalidInputException.of(
          "feature column '%s' in %s has type %s (feature columns are numeric, boolean, string, date, timestamp, "
              + "array<float|double>, array<array<float|double>> or vector)",
          config.column(), source, sqlType);
    }
    String sql = feature.sqlType();
    InvalidInputException.check(
        !config.dateTime().isSet() || feature instanceof DateTimeFeature,
        "feature column '%s' in %s has type %s: format, time-zone and parts apply to a date or timestamp column, or a string "
            + "declared kind = datetime",
        config.column(), source, sql);
    InvalidInputException.check(
        config.shape().isEmpty() || feature instanceof ArrayFeature,
        "Invalid shape of data.features '%s': %s (column '%s' in %s has type %s; a shape applies to an array<float|double> or vector column)",
        config.column(), config.shape(), config.column(), source, sql);
    switch (declared) {
      case CATEGORICAL -> InvalidInputException.check(
          feature instanceof CategoricalFeature,
          "feature column '%s' in %s has type %s, but is declared kind = categorical (categorical columns are string, int or long)",
          config.column(), source, sql);
      case NUMERIC -> InvalidInputException.check(
          feature instanceof NumericFeature,
          "feature column '%s' in %s has type %s, but is declared kind = numeric (numeric columns are numbers or booleans)",
          config.column(), source, sql);
      case DATETIME -> InvalidInputException.check(
          feature instanceof DateTimeFeature,
          "feature column '%s' in %s has type %s, but is declared kind = datetime (datetime columns are date, timestamp or string)",
          config.column(), source, sql);
      case AUTO -> {}
    }
    return feature;
  }

  /** Dates and timestamps are datetime columns; a string is one when declared so. */
  private static Optional<DateTimeFeature.Storage> dateTimeStorage(DataType type, FeatureKind declared) {
    if (type instanceof DateType) {
      return Optional.of(DateTimeFeature.Storage.DATE);
    }
    if (type instanceof TimestampType) {
      return Optional.of(DateTimeFeature.Storage.TIMESTAMP);
    }
    if (type instanceof TimestampNTZType) {
      return Optional.of(DateTimeFeature.Storage.LOCAL_TIMESTAMP);
    }
    if (type instanceof StringType && declared == FeatureKind.DATETIME) {
      return Optional.of(DateTimeFeature.Storage.STRING);
    }
    return Optional.empty();
  }

  /**
   * The model's feature columns as another table (validation, scoring) stores them, fitted as the
   * model reads them; fails naming the column when the table's column is of another kind.
   */
  public static List<Feature> forModel(StructType schema, FeatureSpec spec, String source) {
    List<Feature> features = new ArrayList<>();
    for (InputColumn input : spec.columns()) {
      Feature read = read(schema, declaredAs(input), source);
      checkFeeds(read, input, source);
      features.add(read.fitted(input));
    }
    return features;
  }

  /** How a model input's column is declared to be read again: whole numbers were categorical only when declared so. */
  private static FeatureColumn declaredAs(InputColumn input) {
    FeatureColumn named = FeatureColumn.named(input.column());
    if (input instanceof InputColumn.Categorical) {
      return named.withKind(FeatureKind.CATEGORICAL);
    }
    if (input instanceof InputColumn.DateTime) {
      // Its format, zone and parts are the model's: fitted() takes them from the input.
      return named.withKind(FeatureKind.DATETIME);
    }
    return named;
  }

  /** Fails naming the column when {@code feature} cannot feed a model input of {@code input}'s kind. */
  public static void checkFeeds(Feature feature, InputColumn input, String source) {
    InvalidInputException.check(
        feature.feeds(input),
        "feature column '%s' in %s has type %s (%s), but the model reads it as %s",
        feature.name(), source, feature.sqlType(), feature.kind(), input.kind());
  }

  /**
   * The model's feature columns as its encoder reads projected rows, with no table at hand (the
   * kind stands for the type in messages).
   */
  static Feature encoding(InputColumn input) {
    String type = input.kind();
    if (input instanceof InputColumn.Numeric numeric) {
      return new NumericFeature(type, numeric);
    } else if (input instanceof InputColumn.Categorical categorical) {
      return new CategoricalFeature(type, categorical);
    } else if (input instanceof InputColumn.Array array) {
      return new ArrayFeature(type, false, array);
    } else if (input instanceof InputColumn.Sequence sequence) {
      return new SequenceFeature(type, sequence);
    } else {
      // The storage only shapes the projection, which encoding does not use.
      return new DateTimeFeature(type, DateTimeFeature.Storage.TIMESTAMP, (InputColumn.DateTime) input);
    }
  }

  /** True where the projected features (a struct of {@link #fieldName}s) are valid for {@code spec}. */
  public static Column valid(Column features, FeatureSpec spec) {
    Column valid = functions.lit(true);
    for (int i = 0; i < spec.columns().size(); i++) {
      valid = valid.and(encoding(spec.columns().get(i)).valid(features.getField(fieldName(i))));
    }
    return valid;
  }

  /** The features' projections as one struct of {@link #fieldName}s. */
  public static Column struct(List<Feature> features) {
    Column[] fields = new Column[features.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = features.get(i).projection().as(fieldName(i));
    }
    return functions.struct(fields);
  }

  /** The name of feature {@code i} in projected rows and feature structs (any column name may hold dots). */
  public static String fieldName(int i) {
    return "f" + i;
  }

  /** A column by its exact name, even one with dots or spaces in it. */
  public static Column column(String name) {
    return functions.col(quoted(name));
  }

  /** A column name quoted for Spark SQL. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static StructField field(StructType schema, String name, String key, String source) {
    int index = Arrays.asList(schema.fieldNames()).indexOf(name);
    InvalidInputException.check(
        index >= 0, "column '%s' (%s) not found in %s; its columns are %s", name, key, source, Arrays.toString(schema.fieldNames()));
    return schema.fields()[index];
  }

  private static boolean isFloating(DataType type) {
    return type instanceof FloatType || type instanceof DoubleType;
  }

  static boolean isWhole(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType;
  }

  static boolean isNumeric(DataType type) {
    return type instanceof NumericType || type instanceof DecimalType;
  }
}

package io.sparkfit.features;

import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.InputColumn;
import java.io.Serializable;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * One feature column of one kind, through every stage: how its Spark type is read ({@link
 * #projection}), which of its values make a row invalid (in Java for rows, {@link #invalid}, and in
 * Spark SQL for filters, {@link #valid}, side by side so they say the same), what one pass learns from
 * it ({@link #newStatistics}, {@link #add}), what is fitted from that ({@link #fit}), and how a value
 * becomes network inputs ({@link #encode}).
 *
 * <p>A feature is read from a table's schema and its configuration ({@link Features#read}) for
 * training, and is then <em>unfitted</em>: its validity follows the configuration (a missing number is
 * invalid with {@code impute = none}). {@link #fitted} gives the same column as a trained model reads
 * it ({@link InputColumn}): its validity follows what was learned (an array must have the trained
 * length), and only a fitted feature encodes.
 *
 * <p>Rows are the projected rows {@link ProjectedRows} lays out: {@link #invalid} reads the value at an
 * index once and keeps it for {@link #add} and {@link #encode}, which must follow it for the same row.
 * Not thread-safe: one per task (Spark deserializes one per task).
 */
public abstract sealed class Feature implements Serializable
    permits NumericFeature, CategoricalFeature, ArrayFeature, SequenceFeature, DateTimeFeature {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String sqlType;

  Feature(String name, String sqlType) {
    this.name = name;
    this.sqlType = sqlType;
  }

  /** The column's name in the table. */
  public String name() {
    return name;
  }

  /** The column's type in the table, for messages ({@code int}, {@code array<float>}, {@code vector}). */
  public String sqlType() {
    return sqlType;
  }

  /** The column's kind, for messages and the report: numeric, categorical, array, sequence, datetime. */
  public abstract String kind();

  /** This column's distribution in {@code statistics} (its own kind's), for drift checks, with {@code bins} quantile bins for numbers. */
  public final io.sparkfit.inputs.DriftReference.Column drift(ColumnStatistics statistics, int bins) {
    return statistics.drift(name, kind(), sqlType, bins);
  }

  /** The column as the rest of the pipeline reads it (double, string, {@code array<double>}, ...). */
  public abstract Column projection();

  /** Whether a model input of {@code input}'s kind can read this column. */
  public abstract boolean feeds(InputColumn input);

  /**
   * Why the projected value at {@code index} makes the row invalid ("feature column 'x' is ..."), or
   * null when it is valid; the value read is kept for {@link #add} and {@link #encode}.
   */
  public abstract String invalid(Row row, int index);

  /** The rule of {@link #invalid} in Spark SQL: true where the projected {@code value} is valid. */
  public abstract Column valid(Column value);

  /** An empty statistics state of this column, to profile one partition. */
  public abstract ColumnStatistics newStatistics();

  /** Adds the value {@link #invalid} found valid to {@code statistics}; {@code row} describes the row for messages. */
  public abstract void add(ColumnStatistics statistics, Supplier<String> row);

  /**
   * Fails naming the column and {@code source} when the statistics over all rows are inconsistent
   * (arrays of different lengths), before anything is fitted.
   */
  public void checkConsistent(ColumnStatistics statistics, String source) {}

  /** The length of an array or a time step seen in the statistics, or -1 for a kind without one. */
  public int observedWidth(ColumnStatistics statistics) {
    return -1;
  }

  /**
   * What the training rows teach this column: the model's input and its scaling, and a summary.
   * Fails naming the column when it cannot be learned (no values at all, too many categories).
   *
   * @param source names the data in messages, e.g. {@code data.train}
   */
  public abstract FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source);

  /** This column as a model that reads it as {@code input} does: validity and encoding follow {@code input}. */
  public abstract Feature fitted(InputColumn input);

  /**
   * Writes the inputs of the valid value {@link #invalid} read last into {@code raw} from {@code at},
   * unscaled; returns the position after them. Only a fitted feature encodes. A kind that reads
   * straight from the row into {@code raw} (an array) overrides {@link #encode(Row, int, double[], int)}
   * instead and never reaches this.
   */
  int encode(double[] raw, int at) {
    throw new IllegalStateException(kind() + " column '" + name() + "' encodes straight from the row");
  }

  /**
   * Checks the value at {@code index} and writes its unscaled inputs into {@code raw} from {@code at}:
   * returns the position after them, or -1 when {@link #invalid} finds the value invalid. A kind may
   * read straight into {@code raw} (an array does), by the same rule.
   */
  int encode(Row row, int index, double[] raw, int at) {
    return invalid(row, index) == null ? encode(raw, at) : -1;
  }

  /** The configuration of an unfitted feature; fails on a fitted one, which has none. */
  static FeatureColumn configOf(FeatureColumn config, String name) {
    if (config == null) {
      throw new IllegalStateException("Column '" + name + "' is fitted: its statistics were fitted already");
    }
    return config;
  }

  static <T> T fittedInput(T input, String name) {
    if (input == null) {
      throw new IllegalStateException("Column '" + name + "' is not fitted: fit it before encoding");
    }
    return input;
  }

  /** {shift, scale} of one input; a constant input gets scale 1, so it maps to 0 rather than NaN. */
  static double[] scaling(Normalization kind, long n, double sum, double sumSquares, double min, double max) {
    return switch (kind) {
      case NONE -> new double[] {0, 1};
      case STANDARD -> {
        double mean = sum / n;
        // Population variance, as DL4J's NormalizerStandardize and Spark's StandardScaler (with
        // withMean) would give up to n/(n-1); clamp tiny negatives from rounding.
        double std = Math.sqrt(Math.max(0.0, sumSquares / n - mean * mean));
        yield new double[] {mean, std > 1e-12 * Math.max(1.0, Math.abs(mean)) ? std : 1.0};
      }
      case MIN_MAX -> {
        double range = max - min;
        yield new double[] {min, range > 0 ? range : 1.0};
      }
    };
  }

  @Override
  public String toString() {
    return kind() + " column '" + name + "' (" + sqlType + ")";
  }
}

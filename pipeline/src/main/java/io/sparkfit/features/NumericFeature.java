package io.sparkfit.features;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Imputation;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A number or boolean, read as double: one input, plus a 0/1 "was missing" input when asked. Null and
 * NaN are missing (filled, or invalid with {@code impute = none}); infinities are invalid.
 */
final class NumericFeature extends Feature {
  private static final long serialVersionUID = 1L;

  private final FeatureColumn config;
  private final InputColumn.Numeric input;
  /** Whether a missing value is valid: it is imputed. */
  private final boolean missingValid;
  private transient double value;

  NumericFeature(FeatureColumn config, String sqlType) {
    super(config.column(), sqlType);
    this.config = config;
    this.input = null;
    this.missingValid = config.impute() != Imputation.NONE;
  }

  /** The column as a model reads it; {@code sqlType} is the scored table's, or the kind when no table is at hand. */
  NumericFeature(String sqlType, InputColumn.Numeric input) {
    super(input.column(), sqlType);
    this.config = null;
    this.input = input;
    this.missingValid = input.fill() != null;
  }

  @Override
  public String kind() {
    return "numeric";
  }

  @Override
  public Column projection() {
    return Features.column(name()).cast("double");
  }

  @Override
  public boolean feeds(InputColumn input) {
    return input instanceof InputColumn.Numeric;
  }

  @Override
  public String invalid(Row row, int index) {
    value = row.isNullAt(index) ? Double.NaN : row.getDouble(index);
    if (Double.isInfinite(value)) {
      return "feature column '" + name() + "' is infinite";
    }
    if (Double.isNaN(value) && !missingValid) {
      return "feature column '" + name() + "' is null or NaN (impute = none)";
    }
    return null;
  }

  @Override
  public Column valid(Column value) {
    return validNumber(value, missingValid);
  }

  /** The numeric rule in Spark SQL: never infinite, and present unless a missing value is filled. */
  static Column validNumber(Column x, boolean missingValid) {
    // abs(null) is null: coalesce keeps a null from making the whole predicate null.
    Column finiteOrMissing = functions.coalesce(functions.abs(x).notEqual(Double.POSITIVE_INFINITY), functions.lit(true));
    return missingValid ? finiteOrMissing : finiteOrMissing.and(x.isNotNull()).and(functions.not(functions.isnan(x)));
  }

  @Override
  public ColumnStatistics newStatistics() {
    return new ColumnStatistics.Numeric(configOf(config, name()).impute() == Imputation.MEDIAN);
  }

  @Override
  public void add(ColumnStatistics statistics, Supplier<String> row) {
    addNumber((ColumnStatistics.Numeric) statistics, value);
  }

  static void addNumber(ColumnStatistics.Numeric numeric, double x) {
    if (Double.isNaN(x)) {
      numeric.addMissing();
    } else {
      numeric.add(x);
    }
  }

  @Override
  public FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source) {
    FeatureColumn config = configOf(this.config, name());
    ColumnStatistics.Numeric numeric = (ColumnStatistics.Numeric) statistics;
    Imputed imputed = impute(name(), config, numeric, source);
    InputColumn.Numeric fitted = new InputColumn.Numeric(name(), imputed.fill(), config.missingIndicator());
    ColumnSummary summary =
        ColumnSummary.numeric(
            name(), sqlType(), numeric.missing, imputed.mean(), imputed.std(), numeric.min, numeric.max,
            config.impute().name().toLowerCase(Locale.ROOT), imputed.fill(), config.missingIndicator());
    double[] s = filledScaling(numeric, imputed.fill(), normalization);
    return config.missingIndicator()
        ? new FittedColumn(fitted, new double[] {s[0], 0}, new double[] {s[1], 1}, summary)
        : new FittedColumn(fitted, new double[] {s[0]}, new double[] {s[1]}, summary);
  }

  /** A column's mean and standard deviation over its present values, and what fills a gap (null with impute = none). */
  record Imputed(double mean, double std, Double fill) {}

  /** Fails naming the column when it has no values; {@code constant} is in the column's own unit. */
  static Imputed impute(String name, FeatureColumn config, ColumnStatistics.Numeric numeric, String source) {
    InvalidInputException.check(
        numeric.present > 0,
        "feature column '%s' in %s has no values: all %d rows are null or NaN (leave it out of data.features)",
        name,
        source,
        numeric.missing);
    double mean = numeric.sum.value() / numeric.present;
    double std = Math.sqrt(Math.max(0.0, numeric.sumSquares.value() / numeric.present - mean * mean));
    Double fill =
        switch (config.impute()) {
          case MEAN -> mean;
          case MEDIAN -> numeric.median.median();
          case CONSTANT -> config.constant();
          case NONE -> null;
        };
    return new Imputed(mean, std, fill);
  }

  /**
   * {shift, scale} fitted on the values as the network sees them, gaps filled, as a scaler after an
   * imputer would: the sums of the filled values follow from the counts without a second pass.
   */
  static double[] filledScaling(ColumnStatistics.Numeric numeric, Double fill, Normalization normalization) {
    long missing = fill == null ? 0 : numeric.missing;
    double f = fill == null ? 0 : fill;
    ExactSum sum = numeric.sum.copy();
    ExactSum sumSquares = numeric.sumSquares.copy();
    sum.add(missing * f);
    sumSquares.add(missing * f * f);
    double min = missing > 0 ? Math.min(numeric.min, f) : numeric.min;
    double max = missing > 0 ? Math.max(numeric.max, f) : numeric.max;
    return scaling(normalization, numeric.present + missing, sum.value(), sumSquares.value(), min, max);
  }

  @Override
  public Feature fitted(InputColumn input) {
    return new NumericFeature(sqlType(), (InputColumn.Numeric) input);
  }

  @Override
  int encode(double[] raw, int at) {
    InputColumn.Numeric input = fittedInput(this.input, name());
    boolean missing = Double.isNaN(value);
    raw[at++] = missing ? input.fill() : value;
    if (input.indicator()) {
      raw[at++] = missing ? 1 : 0;
    }
    return at;
  }
}

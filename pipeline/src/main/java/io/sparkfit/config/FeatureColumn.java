package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One entry of {@code data.features}: a column and how it becomes network inputs. Written either as
 * a plain column name (everything from {@code data.categorical} and {@code data.missing}) or as an
 * object that overrides some of them, e.g. {@code { column = country, max-categories = 100 }}.
 * Validates itself.
 *
 * @param kind numeric, categorical, or (AUTO) read from the column's type
 * @param maxCategories for a categorical column: keep the most frequent values up to this many and
 *     fold the rest into the "other" input; {@link #NO_CAP} to keep them all, where more than
 *     {@code maxDistinct} values is an error
 * @param minFrequency for a categorical column: values seen in fewer training rows go to "other"
 * @param maxDistinct for a categorical column without {@code maxCategories}: the most distinct values accepted
 * @param impute what a missing numeric value becomes
 * @param constant the value for {@link Imputation#CONSTANT}
 * @param missingIndicator whether a numeric column also gets a 0/1 input saying its value was missing
 * @param shape for an array column: its values as [channels, height, width], row-major, for
 *     convolutional layers; empty for a flat array or another kind of column
 * @param dateTime for a date or time column: its format, time zone and parts
 * @param arrayScaling for an array column: one scale for the column, or one per element
 */
public record FeatureColumn(
    String column,
    FeatureKind kind,
    int maxCategories,
    int minFrequency,
    int maxDistinct,
    Imputation impute,
    double constant,
    boolean missingIndicator,
    List<Integer> shape,
    DateTimeOptions dateTime,
    ArrayScaling arrayScaling)
    implements Serializable {

  /** The most distinct values of one column that profiling counts exactly, whatever is configured. */
  public static final int COUNT_LIMIT = 100_000;
  public static final int DEFAULT_MAX_DISTINCT = 1000;
  /** {@code maxCategories} when no cap folds rare values into "other". */
  public static final int NO_CAP = 0;

  public FeatureColumn {
    Checks.nonBlank(column, "data.features column");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(impute, "impute");
    String where = "data.features '" + column + "'";
    InvalidInputException.check(
        maxCategories == NO_CAP || maxCategories >= 1 && maxCategories <= COUNT_LIMIT,
        "Invalid max-categories of %s: %s (must be in [1, %s])",
        where,
        maxCategories,
        COUNT_LIMIT);
    InvalidInputException.check(minFrequency >= 1, "Invalid min-frequency of %s: %s (must be >= 1)", where, minFrequency);
    Checks.atMost(minFrequency, Limits.MAX_MIN_FREQUENCY, "min-frequency of " + where);
    InvalidInputException.check(
        maxDistinct >= 1 && maxDistinct <= COUNT_LIMIT,
        "Invalid max-distinct of %s: %s (must be in [1, %s])",
        where,
        maxDistinct,
        COUNT_LIMIT);
    InvalidInputException.check(Double.isFinite(constant), "Invalid constant of %s: %s (must be finite)", where, constant);
    shape = List.copyOf(shape);
    InvalidInputException.check(
        shape.isEmpty() || shape.size() == 3 && shape.stream().allMatch(d -> d > 0 && d <= Limits.MAX_SHAPE_DIMENSION),
        "Invalid shape of %s: %s (must be [channels, height, width], each > 0 and at most 100000)",
        where,
        shape);
    Objects.requireNonNull(dateTime, "dateTime");
    Objects.requireNonNull(arrayScaling, "arrayScaling");
    InvalidInputException.check(
        !dateTime.isSet() || kind == FeatureKind.DATETIME || kind == FeatureKind.AUTO,
        "Invalid %s: format, time-zone and parts apply to a date or time column, not kind = %s",
        where,
        kind.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** The number of values the shape holds: channels × height × width. */
  public long shapeSize() {
    return shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
  }

  /** A plain column name: kind from the type, the default vocabulary limits, mean imputation. */
  public static FeatureColumn named(String column) {
    return new FeatureColumn(
        column, FeatureKind.AUTO, NO_CAP, 1, DEFAULT_MAX_DISTINCT, Imputation.MEAN, 0.0, false, List.of(), DateTimeOptions.DEFAULT,
        ArrayScaling.AUTO);
  }

  /** The cap on a categorical column's vocabulary, when one is configured. */
  public OptionalInt cap() {
    return maxCategories == NO_CAP ? OptionalInt.empty() : OptionalInt.of(maxCategories);
  }

  /** These settings for another column. */
  public FeatureColumn forColumn(String name) {
    return new FeatureColumn(name, kind, maxCategories, minFrequency, maxDistinct, impute, constant, missingIndicator, shape, dateTime, arrayScaling);
  }

  /** This column with {@code impute}. */
  public FeatureColumn withImpute(Imputation how) {
    return new FeatureColumn(column, kind, maxCategories, minFrequency, maxDistinct, how, constant, missingIndicator, shape, dateTime, arrayScaling);
  }

  /** This column declared as {@code kind}. */
  public FeatureColumn withKind(FeatureKind declared) {
    return new FeatureColumn(column, declared, maxCategories, minFrequency, maxDistinct, impute, constant, missingIndicator, shape, dateTime, arrayScaling);
  }
}

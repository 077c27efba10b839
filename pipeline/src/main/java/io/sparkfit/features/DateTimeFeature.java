package io.sparkfit.features;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.DateTimePart;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Imputation;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A date, a timestamp, or a string declared {@code kind = datetime}, read as the wall-clock time it
 * holds in days since 1970-01-01 (a fraction for the time of day). It becomes cyclical inputs — hour
 * of day, day of week, day of year, each as the sin and cos of its angle, so 23:00 lies next to 00:00
 * and December next to January — and the elapsed days, scaled like a number. A timestamp's wall clock
 * is read in the configured time zone (UTC by default), as is text whose format reads an offset; a
 * date, a {@code timestamp_ntz} and text without an offset are read as written, in no zone (never in
 * the Spark session's zone). A null is imputed like a number (the parts then come from the filled time); a string its
 * format cannot read is invalid.
 */
final class DateTimeFeature extends Feature {
  private static final long serialVersionUID = 1L;
  private static final double MICROS_PER_DAY = 86_400_000_000.0;
  private static final double TURN = 2 * Math.PI;
  /** 1970-01-01 was a Thursday: Monday is 0. */
  private static final int EPOCH_WEEKDAY = 3;

  /** How the table stores the column. */
  enum Storage {
    DATE,
    TIMESTAMP,
    /** {@code timestamp_ntz}: a wall-clock time with no zone. */
    LOCAL_TIMESTAMP,
    STRING
  }

  private final Storage storage;
  private final FeatureColumn config;
  private final InputColumn.DateTime input;
  private final String format;
  private final String timeZone;
  private final List<DateTimePart> parts;
  private final boolean missingValid;
  private transient double value;
  private transient boolean missing;

  DateTimeFeature(FeatureColumn config, String sqlType, Storage storage, String source) {
    super(config.column(), sqlType);
    this.storage = storage;
    this.config = config;
    this.input = null;
    this.format = config.dateTime().format();
    this.timeZone = config.dateTime().timeZoneIfSet().orElse("UTC");
    this.parts = config.dateTime().partsIfSet().orElse(defaultParts(storage));
    this.missingValid = config.impute() != Imputation.NONE;
    InvalidInputException.check(
        format == null || storage == Storage.STRING,
        "feature column '%s' in %s has type %s: format applies to a string column (leave it out)",
        name(), source, sqlType);
    InvalidInputException.check(
        config.dateTime().timeZone() == null || storage == Storage.TIMESTAMP || storage == Storage.STRING && format != null && readsOffset(format),
        "feature column '%s' in %s has type %s: time-zone applies to a timestamp column or to text whose format reads an offset "
            + "(dates, timestamp_ntz and text without an offset are read as the wall-clock time they hold)",
        name(), source, sqlType);
    InvalidInputException.check(
        storage != Storage.DATE || !parts.contains(DateTimePart.HOUR),
        "feature column '%s' in %s is a date: it has no hour (leave hour out of its parts)",
        name(), source);
  }

  DateTimeFeature(String sqlType, Storage storage, InputColumn.DateTime input) {
    super(input.column(), sqlType);
    this.storage = storage;
    this.config = null;
    this.input = input;
    this.format = input.format();
    this.timeZone = input.timeZone();
    this.parts = input.parts();
    this.missingValid = input.fill() != null;
  }

  /** A date has no time of day; everything else has every part. */
  static List<DateTimePart> defaultParts(Storage storage) {
    return storage == Storage.DATE
        ? List.of(DateTimePart.WEEKDAY, DateTimePart.YEARDAY, DateTimePart.ELAPSED)
        : List.of(DateTimePart.HOUR, DateTimePart.WEEKDAY, DateTimePart.YEARDAY, DateTimePart.ELAPSED);
  }

  @Override
  public String kind() {
    return "datetime";
  }

  /** Days since 1970-01-01 on the wall clock; null stays null, a string the format cannot read becomes NaN. */
  @Override
  public Column projection() {
    Column column = Features.column(name());
    Column days =
        switch (storage) {
          case DATE -> functions.unix_date(column).cast("double");
          case TIMESTAMP -> micros(functions.from_utc_timestamp(column, timeZone));
          case LOCAL_TIMESTAMP -> wallClockDays(column);
          case STRING -> functions.coalesce(parsedDays(column), functions.lit(Double.NaN));
        };
    return functions.when(column.isNull(), functions.lit(null).cast("double")).otherwise(days);
  }

  /**
   * Text as days on the wall clock it writes. The session's time zone must not enter: reading a
   * zone-less time in it would shift the times its daylight-saving gap skips. So text without an
   * offset is read as if at +0000 (its wall clock then is its UTC time), and text with one is an
   * instant, read on the configured zone's wall clock like a timestamp.
   */
  private Column parsedDays(Column text) {
    if (format == null) {
      return wallClockDays(functions.expr("try_cast(" + Features.quoted(name()) + " as timestamp_ntz)"));
    }
    if (readsOffset(format)) {
      return micros(functions.from_utc_timestamp(functions.try_to_timestamp(text, functions.lit(format)), timeZone));
    }
    return micros(functions.try_to_timestamp(functions.concat(text, functions.lit(" +0000")), functions.lit(format + " Z")));
  }

  /** Whether a datetime pattern reads a zone or an offset (a letter X, x, Z, O, V or z outside quotes). */
  static boolean readsOffset(String pattern) {
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && "XxZOVz".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** A {@code timestamp_ntz} as days: its date, and its time of day to the second, with no zone involved. */
  private static Column wallClockDays(Column local) {
    Column seconds =
        functions.hour(local).multiply(3600).plus(functions.minute(local).multiply(60)).plus(functions.second(local));
    return functions.unix_date(local.cast("date")).cast("double").plus(seconds.divide(86_400.0));
  }

  private static Column micros(Column timestamp) {
    return functions.unix_micros(timestamp).cast("double").divide(MICROS_PER_DAY);
  }

  @Override
  public boolean feeds(InputColumn input) {
    return input instanceof InputColumn.DateTime;
  }

  @Override
  public String invalid(Row row, int index) {
    missing = row.isNullAt(index);
    value = missing ? Double.NaN : row.getDouble(index);
    if (missing) {
      return missingValid ? null : "feature column '" + name() + "' is null (impute = none)";
    }
    if (!Double.isFinite(value)) {
      return "feature column '" + name() + "' holds text that " + (format == null ? "is not an ISO-8601 date or time" : "format '" + format + "' cannot read");
    }
    return null;
  }

  @Override
  public Column valid(Column value) {
    Column finite = functions.not(functions.isnan(value)).and(functions.abs(value).notEqual(Double.POSITIVE_INFINITY));
    return functions.when(value.isNull(), functions.lit(missingValid)).otherwise(finite);
  }

  @Override
  public ColumnStatistics newStatistics() {
    // Days since 1970 lie far from zero, where a logarithmic bucket would span months: a bucket a day.
    return new ColumnStatistics.Numeric(configOf(config, name()).impute() == Imputation.MEDIAN, BucketSketch.linear(1.0));
  }

  @Override
  public void add(ColumnStatistics statistics, Supplier<String> row) {
    NumericFeature.addNumber((ColumnStatistics.Numeric) statistics, missing ? Double.NaN : value);
  }

  @Override
  public FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source) {
    FeatureColumn config = configOf(this.config, name());
    ColumnStatistics.Numeric days = (ColumnStatistics.Numeric) statistics;
    NumericFeature.Imputed imputed = NumericFeature.impute(name(), config, days, source);
    InputColumn.DateTime fitted = new InputColumn.DateTime(name(), format, timeZone, parts, imputed.fill(), config.missingIndicator());
    double[] shift = new double[fitted.width()];
    double[] scale = new double[fitted.width()];
    java.util.Arrays.fill(scale, 1.0);
    int at = 0;
    for (DateTimePart part : parts) {
      if (part == DateTimePart.ELAPSED) {
        double[] s = NumericFeature.filledScaling(days, imputed.fill(), normalization);
        shift[at] = s[0];
        scale[at] = s[1];
      }
      at += part.width();
    }
    ColumnSummary summary =
        ColumnSummary.dateTime(
            name(), sqlType(), days.missing, imputed.mean(), imputed.std(), days.min, days.max,
            config.impute().name().toLowerCase(Locale.ROOT), imputed.fill(), config.missingIndicator());
    return new FittedColumn(fitted, shift, scale, summary);
  }

  @Override
  public Feature fitted(InputColumn input) {
    return new DateTimeFeature(sqlType(), storage, (InputColumn.DateTime) input);
  }

  @Override
  int encode(double[] raw, int at) {
    InputColumn.DateTime input = fittedInput(this.input, name());
    double days = missing ? input.fill() : value;
    long day = (long) Math.floor(days);
    for (DateTimePart part : parts) {
      double turns =
          switch (part) {
            case HOUR -> days - day;
            case WEEKDAY -> Math.floorMod(day + EPOCH_WEEKDAY, 7) / 7.0;
            case YEARDAY -> {
              LocalDate date = LocalDate.ofEpochDay(day);
              yield (date.getDayOfYear() - 1) / (double) date.lengthOfYear();
            }
            case ELAPSED -> Double.NaN;
          };
      if (part == DateTimePart.ELAPSED) {
        raw[at++] = days;
      } else {
        raw[at++] = Math.sin(TURN * turns);
        raw[at++] = Math.cos(TURN * turns);
      }
    }
    if (input.indicator()) {
      raw[at++] = missing ? 1 : 0;
    }
    return at;
  }
}

package io.sparkfit.inputs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * One feature column of the training rows, as provenance and {@code report.html} show it: its kind
 * and type, how many values were missing, and for a numeric column its statistics and what filled the
 * gaps, for a categorical one its vocabulary size, most frequent values and how many rows fell to
 * "other", for an array its length, for a date or time its statistics in days since 1970-01-01.
 * Fields that do not apply are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSummary(
    String column,
    String kind,
    String type,
    long nulls,
    Double mean,
    Double std,
    Double min,
    Double max,
    String impute,
    Double fill,
    @JsonProperty("missing-indicator") Boolean missingIndicator,
    Long distinct,
    Integer vocabulary,
    @JsonProperty("top-values") List<ValueCount> topValues,
    @JsonProperty("other-rows") Long otherRows,
    Integer length)
    implements Serializable {

  /** How many of the training rows hold a value. */
  public record ValueCount(String value, long count) implements Serializable {}

  public static ColumnSummary numeric(
      String column, String type, long nulls, double mean, double std, double min, double max, String impute, Double fill, boolean indicator) {
    return measured("numeric", column, type, nulls, mean, std, min, max, impute, fill, indicator);
  }

  public static ColumnSummary categorical(
      String column, String type, long nulls, long distinct, int vocabulary, List<ValueCount> top, long otherRows) {
    return new ColumnSummary(
        column, "categorical", type, nulls, null, null, null, null, null, null, null, distinct, vocabulary, List.copyOf(top), otherRows, null);
  }

  public static ColumnSummary array(String column, String type, int length) {
    return new ColumnSummary(column, "array", type, 0, null, null, null, null, null, null, null, null, null, null, null, length);
  }

  /** A sequence column: {@code length} values per time step; min and max are the fewest and most steps of a row. */
  public static ColumnSummary sequence(String column, String type, int length, int fewestSteps, int mostSteps) {
    return new ColumnSummary(
        column, "sequence", type, 0, null, null, (double) fewestSteps, (double) mostSteps, null, null, null, null, null, null, null, length);
  }

  /** A date or time column: its statistics are of the days since 1970-01-01 (UTC) its values make. */
  public static ColumnSummary dateTime(
      String column, String type, long nulls, double mean, double std, double min, double max, String impute, Double fill, boolean indicator) {
    return measured("datetime", column, type, nulls, mean, std, min, max, impute, fill, indicator);
  }

  /** A column of numbers (or days), with their statistics and what filled the gaps. */
  private static ColumnSummary measured(
      String kind, String column, String type, long nulls, double mean, double std, double min, double max, String impute, Double fill,
      boolean indicator) {
    return new ColumnSummary(
        column, kind, type, nulls, mean, std, min, max, impute, fill, indicator ? Boolean.TRUE : null, null, null, null, null, null);
  }
}

package io.sparkfit.data;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Reads the projected rows that {@link TableReader} produces: column 0 the features as
 * {@code array<double>}, column 1 the label as stored. Shipped to executors.
 */
final class RowDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int FEATURES = 0;
  static final int LABEL = 1;
  private static final int EXAMPLE_VALUES = 8;

  private final FeatureSpec features;
  private final String labelColumn;
  private final LabelKind labelKind;

  RowDecoder(FeatureSpec features, String labelColumn, LabelKind labelKind) {
    this.features = features;
    this.labelColumn = labelColumn;
    this.labelKind = labelKind;
  }

  /**
   * Copies the row's features into {@code out} (whose length is the expected width, or longer when
   * the width is still unknown) and returns the number read, or -1 when the row has a null or
   * non-finite feature. A row of the wrong width returns its width, for the caller to judge.
   */
  int readFeatures(Row row, double[] out) {
    if (row.isNullAt(FEATURES)) {
      return -1;
    }
    List<Object> values = row.getList(FEATURES);
    int n = values.size();
    if (n > out.length) {
      return n;
    }
    for (int i = 0; i < n; i++) {
      Object v = values.get(i);
      if (v == null) {
        return -1;
      }
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return -1;
      }
      out[i] = d;
    }
    return n;
  }

  /** The label's canonical value, or null when it is missing or not a finite number. */
  Object readLabel(Row row) {
    if (row.isNullAt(LABEL)) {
      return null;
    }
    Object raw = row.get(LABEL);
    if (raw instanceof Number number && !Double.isFinite(number.doubleValue())) {
      return null;
    }
    return LabelIndex.canonical(labelKind, raw);
  }

  /** A short description of a row for error messages: its label and first few feature values. */
  String describe(Row row) {
    String label = row.isNullAt(LABEL) ? "null" : String.valueOf(row.get(LABEL));
    String values;
    if (row.isNullAt(FEATURES)) {
      values = "null";
    } else {
      values = abbreviate(row.getList(FEATURES));
    }
    return String.format("{%s: %s, %s: %s}", labelColumn, label, featureName(), values);
  }

  /** The first few values of a feature array, and how many there are, for error messages. */
  static String abbreviate(List<Object> list) {
    String values = list.subList(0, Math.min(EXAMPLE_VALUES, list.size())).toString();
    return list.size() > EXAMPLE_VALUES ? values.substring(0, values.length() - 1) + ", ... (" + list.size() + " values)]" : values;
  }

  private String featureName() {
    return features.layout() == FeatureLayout.COLUMNS ? String.join("|", features.columns()) : features.columns().get(0);
  }

  LabelKind labelKind() {
    return labelKind;
  }

  String labelColumn() {
    return labelColumn;
  }

  FeatureSpec features() {
    return features;
  }
}

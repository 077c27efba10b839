package io.sparkfit.features;

import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The layout of projected rows: the label, the holdout flag, then each feature column as its {@link
 * Feature#projection} reads it, then the weight as a double when there is a weight column, then each
 * slice column ({@code metrics.slices}) as text. Shipped to executors.
 *
 * @param weightColumn the weight column ({@code data.weight-column}), or null when rows weigh the same
 * @param sliceColumns the columns metrics are sliced by, in order; empty for none
 */
public record ProjectedRows(List<String> featureNames, String labelColumn, LabelKind labelKind, String weightColumn, List<String> sliceColumns)
    implements Serializable {
  public static final int LABEL = 0;
  public static final int HOLDOUT = 1;
  public static final int FIRST_FEATURE = 2;
  private static final int EXAMPLE_VALUES = 8;

  public ProjectedRows {
    featureNames = List.copyOf(featureNames);
    sliceColumns = List.copyOf(sliceColumns);
  }

  /** Rows with no slice columns. */
  public ProjectedRows(List<String> featureNames, String labelColumn, LabelKind labelKind, String weightColumn) {
    this(featureNames, labelColumn, labelKind, weightColumn, List.of());
  }

  /** Rows of equal weight: no weight column. */
  public static ProjectedRows unweighted(List<String> featureNames, String labelColumn, LabelKind labelKind) {
    return new ProjectedRows(featureNames, labelColumn, labelKind, null);
  }

  public boolean weighted() {
    return weightColumn != null;
  }

  /** Where the weight is in a projected row: after the features. */
  public int weightIndex() {
    return FIRST_FEATURE + featureNames.size();
  }

  /** Where the slice column at {@code slice} (of {@link #sliceColumns()}) is in a projected row: after the weight. */
  public int sliceIndex(int slice) {
    return weightIndex() + (weighted() ? 1 : 0) + slice;
  }

  /** The value of the slice column at {@code slice} as text, or null when the row has none. */
  public String sliceValue(Row row, int slice) {
    int at = sliceIndex(slice);
    return row.isNullAt(at) ? null : row.getString(at);
  }

  /**
   * A row's weight: 1 without a weight column; NaN when the weight is missing, not finite or negative
   * (the row is invalid; {@link #invalidWeight} says why).
   */
  public double weight(Row row) {
    if (weightColumn == null) {
      return 1;
    }
    if (row.isNullAt(weightIndex())) {
      return Double.NaN;
    }
    double w = row.getDouble(weightIndex());
    return validWeight(w) ? w : Double.NaN;
  }

  /** A weight a row can have: finite and not negative. */
  public static boolean validWeight(double w) {
    return Double.isFinite(w) && w >= 0;
  }

  /** Why a row's weight makes it invalid, naming the column and the value; null when it is valid or there is no weight column. */
  public String invalidWeight(Row row) {
    if (weightColumn == null || !Double.isNaN(weight(row))) {
      return null;
    }
    return "weight column '" + weightColumn + "' (data.weight-column) has value " + value(row, weightIndex()) + " (must be finite and >= 0)";
  }

  /** The label's canonical value, or null when it is missing or not a finite number. */
  public Object label(Row row) {
    if (row.isNullAt(LABEL)) {
      return null;
    }
    Object raw = row.get(LABEL);
    if (raw instanceof Number number && !Double.isFinite(number.doubleValue())) {
      return null;
    }
    return LabelIndex.canonical(labelKind, raw);
  }

  /** A short description of a row for error messages: its label and feature values, arrays abbreviated. */
  public String describe(Row row) {
    List<String> parts = new ArrayList<>();
    parts.add(labelColumn + ": " + (row.isNullAt(LABEL) ? "null" : row.get(LABEL)));
    for (int i = 0; i < featureNames.size(); i++) {
      parts.add(featureNames.get(i) + ": " + value(row, FIRST_FEATURE + i));
    }
    if (weightColumn != null) {
      parts.add(weightColumn + ": " + value(row, weightIndex()));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  /** One value of a row as text for messages: null, a number or string, or an abbreviated array. */
  public static String value(Row row, int index) {
    if (row.isNullAt(index)) {
      return "null";
    }
    Object v = row.get(index);
    return v instanceof scala.collection.Seq<?> ? abbreviate(row.getList(index)) : String.valueOf(v);
  }

  /** The first few values of a feature array, and how many there are, for error messages. */
  static String abbreviate(List<Object> list) {
    String values = list.subList(0, Math.min(EXAMPLE_VALUES, list.size())).toString();
    return list.size() > EXAMPLE_VALUES ? values.substring(0, values.length() - 1) + ", ... (" + list.size() + " values)]" : values;
  }

  /** An array element of a row (a Scala sequence in rows Spark makes, a Java list in rows built by hand) as a list; null stays null. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    if (value == null || value instanceof List) {
      return (List<Object>) value;
    }
    return scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<Object>) value);
  }

  /**
   * Copies an array's values into {@code into} from position {@code at}; false at the first null or
   * non-finite value (what is copied then is unusable).
   */
  static boolean finiteValues(List<Object> values, double[] into, int at) {
    for (int j = 0; j < values.size(); j++) {
      Object v = values.get(j);
      if (v == null || !Double.isFinite((Double) v)) {
        return false;
      }
      into[at + j] = (Double) v;
    }
    return true;
  }
}

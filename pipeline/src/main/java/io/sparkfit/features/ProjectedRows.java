package io.sparkfit.features;

import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The layout of projected rows: the label, the holdout flag, then each feature column as its {@link
 * Feature#projection} reads it. Shipped to executors.
 */
public record ProjectedRows(List<String> featureNames, String labelColumn, LabelKind labelKind) implements Serializable {
  public static final int LABEL = 0;
  public static final int HOLDOUT = 1;
  public static final int FIRST_FEATURE = 2;
  private static final int EXAMPLE_VALUES = 8;

  public ProjectedRows {
    featureNames = List.copyOf(featureNames);
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

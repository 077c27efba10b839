package io.sparkfit.data;

import io.sparkfit.DataValidationException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Turns a row's feature values (read as double, string or {@code array<double>}, from position
 * {@code first} on) into the network's inputs: missing numbers filled, categories one-hot, then every
 * input scaled. The one place training, evaluate, predict and the Spark ML model encode features.
 */
public final class FeatureEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureSpec spec;
  private final Normalizer normalizer;
  private transient Map<String, Integer>[] positions;
  private transient double[] raw;

  public FeatureEncoder(FeatureSpec spec, Normalizer normalizer) {
    if (spec.width() != normalizer.width()) {
      throw new IllegalArgumentException(
          "The normalizer scales " + normalizer.width() + " inputs, but the features make " + spec.width());
    }
    this.spec = spec;
    this.normalizer = normalizer;
  }

  public int width() {
    return spec.width();
  }

  /** The scaling of the inputs and of a regression target. */
  public Normalizer normalizer() {
    return normalizer;
  }

  /**
   * Writes the row's scaled inputs into {@code out} at {@code offset}; false (and nothing usable
   * written) when a value is missing and not imputed, infinite, or an array holds a null or non-finite
   * value. An array of the wrong length fails naming the column: scoring filters those rows first.
   */
  public boolean encode(Row row, int first, float[] out, int offset) {
    if (raw == null) {
      raw = new double[spec.width()];
      positions = vocabularies();
    }
    int at = 0;
    List<InputColumn> columns = spec.columns();
    for (int i = 0; i < columns.size(); i++) {
      int index = first + i;
      InputColumn column = columns.get(i);
      if (column instanceof InputColumn.Numeric numeric) {
        double x = row.isNullAt(index) ? Double.NaN : row.getDouble(index);
        boolean missing = Double.isNaN(x);
        if (missing) {
          if (numeric.fill() == null) {
            return false;
          }
          x = numeric.fill();
        } else if (Double.isInfinite(x)) {
          return false;
        }
        raw[at++] = x;
        if (numeric.indicator()) {
          raw[at++] = missing ? 1 : 0;
        }
      } else if (column instanceof InputColumn.Categorical categorical) {
        int slot;
        if (row.isNullAt(index)) {
          slot = categorical.nullSlot();
        } else {
          slot = positions[i].getOrDefault(row.getString(index), categorical.otherSlot());
        }
        for (int k = 0; k < categorical.width(); k++) {
          raw[at + k] = k == slot ? 1 : 0;
        }
        at += categorical.width();
      } else {
        InputColumn.Array array = (InputColumn.Array) column;
        if (row.isNullAt(index)) {
          return false;
        }
        List<Object> values = row.getList(index);
        if (values.size() != array.length()) {
          throw new DataValidationException(
              String.format(
                  "feature column '%s' has %d values in a row, but the model takes %d",
                  array.column(), values.size(), array.length()));
        }
        for (int k = 0; k < array.length(); k++) {
          Object v = values.get(k);
          if (v == null || !Double.isFinite((Double) v)) {
            return false;
          }
          raw[at + k] = (Double) v;
        }
        at += array.length();
      }
    }
    normalizer.apply(raw, out, offset);
    return true;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Integer>[] vocabularies() {
    List<InputColumn> columns = spec.columns();
    Map<String, Integer>[] maps = new Map[columns.size()];
    for (int i = 0; i < maps.length; i++) {
      if (columns.get(i) instanceof InputColumn.Categorical categorical) {
        Map<String, Integer> map = new HashMap<>();
        for (int k = 0; k < categorical.vocabulary().size(); k++) {
          map.put(categorical.vocabulary().get(k), k);
        }
        maps[i] = map;
      }
    }
    return maps;
  }
}

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
  /** Each categorical column's slot in the row encoded last. */
  private transient int[] slots;

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

  public FeatureSpec spec() {
    return spec;
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
    prepare();
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
        slots[i] = slot;
        at += categorical.width();
      } else if (column instanceof InputColumn.Sequence) {
        throw new IllegalStateException("A sequence column is encoded by encodeSequence");
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
        if (!ProjectedRows.finiteValues(values, raw, at)) {
          return false;
        }
        at += array.length();
      }
    }
    normalizer.apply(raw, out, offset);
    return true;
  }

  /**
   * The slot of categorical column {@code column} (its position among the feature columns) in the row
   * {@link #encode} read last: its index in the vocabulary, or the "other" or null slot.
   */
  public int slot(int column) {
    return slots[column];
  }

  /** Where column {@code column}'s inputs start among all the row's inputs. */
  public int offset(int column) {
    int at = 0;
    for (int i = 0; i < column; i++) {
      at += spec.columns().get(i).width();
    }
    return at;
  }

  /**
   * The row's sequence column at {@code index} as scaled time steps of {@code width()} values each;
   * null when the row is invalid: the sequence is null or empty, or a step is null or holds a null or
   * non-finite value. A step of another width fails naming the column.
   */
  public float[][] encodeSequence(Row row, int index) {
    prepare();
    InputColumn.Sequence column = (InputColumn.Sequence) spec.columns().get(0);
    if (row.isNullAt(index)) {
      return null;
    }
    List<Object> steps = row.getList(index);
    if (steps.isEmpty()) {
      return null;
    }
    float[][] out = new float[steps.size()][column.features()];
    for (int t = 0; t < steps.size(); t++) {
      List<Object> step = ProjectedRows.list(steps.get(t));
      if (step == null) {
        return null;
      }
      if (step.size() != column.features()) {
        throw new DataValidationException(
            String.format(
                "feature column '%s' has a time step of %d values, but the model takes %d per step",
                column.column(), step.size(), column.features()));
      }
      if (!ProjectedRows.finiteValues(step, raw, 0)) {
        return null;
      }
      normalizer.apply(raw, out[t], 0);
    }
    return out;
  }

  private void prepare() {
    if (raw == null) {
      raw = new double[spec.width()];
      positions = vocabularies();
      slots = new int[spec.columns().size()];
    }
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

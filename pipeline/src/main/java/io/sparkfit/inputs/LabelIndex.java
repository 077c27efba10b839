package io.sparkfit.inputs;

import io.sparkfit.DataValidationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The classes a classifier predicts, sorted, each at its output index. Saved as JSON with the model
 * so predictions map back to the original label values and types.
 *
 * <p>Values are kept in canonical form: {@link Long} for {@code INT_CLASS}, {@link Double} for
 * {@code DOUBLE_CLASS}, {@link String} for {@code STRING_CLASS}, {@link Boolean} for {@code BOOLEAN_CLASS}. For {@code TARGET} the index is empty.
 */
public final class LabelIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LabelKind kind;
  private final List<Object> values;
  private final Map<Object, Integer> positions;

  private LabelIndex(LabelKind kind, List<Object> values) {
    this.kind = kind;
    this.values = List.copyOf(values);
    Map<Object, Integer> map = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      map.put(values.get(i), i);
    }
    this.positions = map;
  }

  /** The index of a regression target: no classes. */
  public static LabelIndex target() {
    return new LabelIndex(LabelKind.TARGET, List.of());
  }

  /** Sorts the distinct values seen into an index (numerically for numbers). */
  public static LabelIndex of(LabelKind kind, Collection<?> distinctValues) {
    if (!kind.isClass()) {
      throw new IllegalArgumentException("A label index holds classes; " + kind + " has none");
    }
    TreeSet<Object> sorted = new TreeSet<>();
    for (Object v : distinctValues) {
      sorted.add(canonical(kind, v));
    }
    return new LabelIndex(kind, new ArrayList<>(sorted));
  }

  /** Reads back the JSON form: values as written by {@link #valuesAsJson()}. */
  public static LabelIndex fromJson(LabelKind kind, List<?> jsonValues) {
    return kind.isClass() ? of(kind, jsonValues) : target();
  }

  /** The canonical form of a row's label value: the type this index compares by. */
  public static Object canonical(LabelKind kind, Object value) {
    return switch (kind) {
      case INT_CLASS -> ((Number) value).longValue();
      case DOUBLE_CLASS, TARGET -> ((Number) value).doubleValue();
      case STRING_CLASS -> value.toString();
      case BOOLEAN_CLASS -> value instanceof Boolean b ? b : Boolean.valueOf(value.toString());
    };
  }

  public LabelKind kind() {
    return kind;
  }

  /** Number of classes; 0 for a regression target. */
  public int size() {
    return values.size();
  }

  public List<Object> values() {
    return values;
  }

  /** The network outputs this index needs: one per class, or one for a regression target. */
  public int outputs() {
    return kind.isClass() ? values.size() : 1;
  }

  public Object valueAt(int index) {
    return values.get(index);
  }

  /** The output index of a row's label value; fails naming the value when the index lacks it. */
  public int indexOf(Object rowValue, String labelColumn) {
    Integer position = positions.get(canonical(kind, rowValue));
    if (position == null) {
      throw new DataValidationException(
          String.format(
              "label column '%s' has value '%s' not in the label index %s", labelColumn, rowValue, values));
    }
    return position;
  }

  public boolean contains(Object rowValue) {
    return positions.containsKey(canonical(kind, rowValue));
  }

  public List<Object> valuesAsJson() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelIndex other && kind == other.kind && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return kind + values.toString();
  }
}

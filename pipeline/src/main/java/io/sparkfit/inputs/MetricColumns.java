package io.sparkfit.inputs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns a model's metrics read beside its features, fixed when it was trained and saved with it,
 * so evaluate weighs and slices rows as training did: the weight column ({@code data.weight-column}),
 * and each slice column ({@code metrics.slices}) with the values that have their own metrics.
 *
 * <p>A class rather than a record: {@link Optional} is not serializable, and this travels to executors
 * inside {@link ModelInputs}.
 */
public final class MetricColumns implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final MetricColumns NONE = new MetricColumns(Optional.empty(), List.of());
  /** The weight column, or null for equal weights. */
  private final String weightColumn;
  private final List<SliceColumn> slices;

  /**
   * @param weightColumn the numeric column whose value weighs each row; empty for equal weights
   * @param slices the slice columns, in the order configured
   */
  public MetricColumns(Optional<String> weightColumn, List<SliceColumn> slices) {
    this.weightColumn = weightColumn.orElse(null);
    this.slices = List.copyOf(slices);
  }

  public Optional<String> weightColumn() {
    return Optional.ofNullable(weightColumn);
  }

  public List<SliceColumn> slices() {
    return slices;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricColumns other && java.util.Objects.equals(weightColumn, other.weightColumn) && slices.equals(other.slices);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(weightColumn, slices);
  }

  @Override
  public String toString() {
    return "MetricColumns[weightColumn=" + weightColumn + ", slices=" + slices + "]";
  }

  /** No weights and no slices: what a model trained before these columns existed reads. */
  public static MetricColumns none() {
    return NONE;
  }

  public boolean weighted() {
    return weightColumn != null;
  }

  /** The slice columns' names, in order. */
  public List<String> sliceColumnNames() {
    return slices.stream().map(SliceColumn::column).toList();
  }

  /**
   * One slice column and its values that have their own metrics (the most frequent in the training
   * data, most frequent first, ties by value). A row whose value is another one belongs to {@link
   * #OTHER}, a null one to {@link #NULL}; their indices follow the kept values'.
   */
  public record SliceColumn(String column, List<String> values) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The name of the slice of values outside {@link #values()}; parenthesised so no plain value is taken for it. */
    public static final String OTHER = "(other)";
    /** The name of the slice of rows with no value. */
    public static final String NULL = "(null)";

    public SliceColumn {
      values = List.copyOf(values);
    }

    /** The slices' names by index: the kept values, then {@link #OTHER} and {@link #NULL}. */
    public List<String> sliceNames() {
      List<String> names = new ArrayList<>(values);
      names.add(OTHER);
      names.add(NULL);
      return names;
    }

    /** How many slices there are, {@link #OTHER} and {@link #NULL} included. */
    public int sliceCount() {
      return values.size() + 2;
    }

    /** A lookup of a value's slice index, for a task to use row by row. */
    public Indexer indexer() {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < values.size(); i++) {
        index.put(values.get(i), i);
      }
      int other = values.size();
      return value -> value == null ? other + 1 : index.getOrDefault(value, other);
    }
  }

  /** Maps a slice column's value as text (null for none) to its slice index. */
  @FunctionalInterface
  public interface Indexer {
    int indexOf(String value);
  }
}

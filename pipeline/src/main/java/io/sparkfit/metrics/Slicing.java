package io.sparkfit.metrics;

import java.io.Serializable;
import java.util.List;

/**
 * Whether a minibatch's metric states are also kept per slice ({@code metrics.slices}). {@link #none()}
 * evaluates the minibatch as a whole and nothing else; {@link #byColumns} adds, per slice column, a
 * {@link SliceStates} under {@link #key(String)}: each slice's rows evaluated by the same evaluator, so a
 * slice's metrics are exactly those of its rows, from the same pass and the same accumulator.
 *
 * <p>Serializable: it travels in evaluation tasks.
 */
public interface Slicing extends Serializable {

  /**
   * The states of one minibatch of {@code rows} examples.
   *
   * @param sliceOfRow each example's slice index per slice column ({@code int[]} per example, in column
   *     order): the minibatch's example metadata; ignored (and may be null) without slices
   */
  MetricSet evaluate(Evaluator evaluator, float[] predictions, float[] labels, int rows, float[] mask, List<?> sliceOfRow);

  /** The whole minibatch only: no slices. */
  static Slicing none() {
    return None.INSTANCE;
  }

  /**
   * Per slice column of {@code columns}, {@code sliceCounts[c]} slices.
   *
   * @throws IllegalArgumentException when the two differ in length, or a column has no slice
   */
  static Slicing byColumns(List<String> columns, int[] sliceCounts) {
    return new ByColumns(columns, sliceCounts);
  }

  /** Where the states of the slice column {@code column} are in a {@link MetricSet}. */
  static String key(String column) {
    return "slices/" + column;
  }

  /** The no-op: a minibatch is evaluated as a whole. */
  enum None implements Slicing {
    INSTANCE;

    @Override
    public MetricSet evaluate(Evaluator evaluator, float[] predictions, float[] labels, int rows, float[] mask, List<?> sliceOfRow) {
      return evaluator.evaluate(predictions, labels, rows, mask);
    }
  }

  /** Slices by one or more columns: the whole minibatch, then each slice's rows gathered and evaluated. */
  record ByColumns(List<String> columns, int[] sliceCounts) implements Slicing {
    public ByColumns {
      columns = List.copyOf(columns);
      sliceCounts = sliceCounts.clone();
      if (columns.size() != sliceCounts.length) {
        throw new IllegalArgumentException(columns.size() + " slice columns but " + sliceCounts.length + " slice counts");
      }
      for (int count : sliceCounts) {
        if (count < 1) {
          throw new IllegalArgumentException("A slice column needs a slice: " + count);
        }
      }
    }

    @Override
    public MetricSet evaluate(Evaluator evaluator, float[] predictions, float[] labels, int rows, float[] mask, List<?> sliceOfRow) {
      MetricSet whole = evaluator.evaluate(predictions, labels, rows, mask);
      if (rows == 0) {
        return whole;
      }
      if (sliceOfRow == null || sliceOfRow.size() != rows) {
        throw new IllegalStateException(
            "A minibatch of " + rows + " rows carries " + (sliceOfRow == null ? "no" : sliceOfRow.size()) + " slice indices");
      }
      int p = predictions.length / rows;
      int y = labels.length / rows;
      for (int c = 0; c < columns.size(); c++) {
        int[] sliceSizes = new int[sliceCounts[c]];
        int[] slice = new int[rows];
        for (int i = 0; i < rows; i++) {
          slice[i] = ((int[]) sliceOfRow.get(i))[c];
          sliceSizes[slice[i]]++;
        }
        SliceStates states = SliceStates.empty(sliceCounts[c]);
        for (int s = 0; s < sliceCounts[c]; s++) {
          if (sliceSizes[s] == 0) {
            continue;
          }
          int n = sliceSizes[s];
          float[] ps = new float[n * p];
          float[] ys = new float[n * y];
          float[] ms = mask == null ? null : new float[n];
          int at = 0;
          for (int i = 0; i < rows; i++) {
            if (slice[i] == s) {
              System.arraycopy(predictions, i * p, ps, at * p, p);
              System.arraycopy(labels, i * y, ys, at * y, y);
              if (ms != null) {
                ms[at] = mask[i];
              }
              at++;
            }
          }
          states = states.adding(s, evaluator.evaluate(ps, ys, n, ms));
        }
        whole = whole.with(key(columns.get(c)), states);
      }
      return whole;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByColumns other && columns.equals(other.columns) && java.util.Arrays.equals(sliceCounts, other.sliceCounts);
    }

    @Override
    public int hashCode() {
      return 31 * columns.hashCode() + java.util.Arrays.hashCode(sliceCounts);
    }

    @Override
    public String toString() {
      return "Slicing.ByColumns[" + columns + ", " + java.util.Arrays.toString(sliceCounts) + "]";
    }
  }
}

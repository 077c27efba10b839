package io.sparkfit.metrics;

import io.sparkfit.features.ExactSum;
import java.util.Arrays;

/**
 * A k×k confusion matrix of weights ({@code data.weight-column}), {@code weights[actual][predicted]}
 * as exact sums, with precision, recall and F1 per class and averaged as scikit-learn computes them
 * with {@code sample_weight} ({@link ClassTallies}: the weighted average weighs each class by its
 * weighted support).
 */
public final class WeightedConfusionMatrixState implements MetricState, ClassTallies {
  private static final long serialVersionUID = 1L;
  private final ExactSum[][] weights;
  /** The rows whose actual class is each class, whatever their weight: the per-class block's row support. */
  private final long[] rows;

  private WeightedConfusionMatrixState(ExactSum[][] weights, long[] rows) {
    this.weights = weights;
    this.rows = rows;
  }

  /** A matrix from (actual, predicted) class pairs and their weights. */
  static WeightedConfusionMatrixState of(int classes, int[] actual, int[] predicted, float[] w, int n) {
    ExactSum[][] cells = empty(classes);
    long[] rows = new long[classes];
    for (int i = 0; i < n; i++) {
      cells[actual[i]][predicted[i]].add(w[i]);
      rows[actual[i]]++;
    }
    return new WeightedConfusionMatrixState(cells, rows);
  }

  private static ExactSum[][] empty(int classes) {
    ExactSum[][] cells = new ExactSum[classes][classes];
    for (ExactSum[] row : cells) {
      Arrays.setAll(row, j -> new ExactSum());
    }
    return cells;
  }

  @Override
  public int classes() {
    return weights.length;
  }

  /** The summed weights, {@code [actual][predicted]}. */
  public double[][] weights() {
    double[][] out = new double[weights.length][weights.length];
    for (int i = 0; i < weights.length; i++) {
      for (int j = 0; j < weights.length; j++) {
        out[i][j] = weights[i][j].value();
      }
    }
    return out;
  }

  @Override
  public WeightedConfusionMatrixState merge(MetricState other) {
    WeightedConfusionMatrixState o = (WeightedConfusionMatrixState) other;
    if (o.weights.length != weights.length) {
      throw new IllegalArgumentException(
          "Cannot merge confusion matrices of " + weights.length + " and " + o.weights.length + " classes");
    }
    ExactSum[][] sum = new ExactSum[weights.length][weights.length];
    long[] rowSum = new long[weights.length];
    for (int i = 0; i < weights.length; i++) {
      for (int j = 0; j < weights.length; j++) {
        sum[i][j] = weights[i][j].copy().merge(o.weights[i][j]);
      }
      rowSum[i] = rows[i] + o.rows[i];
    }
    return new WeightedConfusionMatrixState(sum, rowSum);
  }

  @Override
  public long count() {
    return Arrays.stream(rows).sum();
  }

  @Override
  public long rows(int c) {
    return rows[c];
  }

  @Override
  public double cell(int actual, int predicted) {
    return weights[actual][predicted].value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedConfusionMatrixState other && Arrays.equals(rows, other.rows) && Arrays.deepEquals(weights(), other.weights());
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(weights()) * 31 + Arrays.hashCode(rows);
  }

  @Override
  public String toString() {
    return "WeightedConfusionMatrixState" + Arrays.deepToString(weights());
  }
}

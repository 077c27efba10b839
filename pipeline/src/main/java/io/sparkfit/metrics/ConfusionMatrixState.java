package io.sparkfit.metrics;

import java.util.Arrays;

/**
 * A k×k confusion matrix of counts, {@code counts[actual][predicted]}, from which precision, recall and
 * F1 follow per class and as macro, micro and weighted averages ({@link ClassTallies}).
 */
public final class ConfusionMatrixState implements MetricState, ClassTallies {
  private static final long serialVersionUID = 1L;
  private final long[][] counts;

  private ConfusionMatrixState(long[][] counts) {
    this.counts = counts;
  }

  public static ConfusionMatrixState empty(int classes) {
    return new ConfusionMatrixState(new long[classes][classes]);
  }

  /** A matrix from (actual, predicted) class pairs. */
  public static ConfusionMatrixState of(int classes, int[] actual, int[] predicted) {
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < actual.length; i++) {
      counts[actual[i]][predicted[i]]++;
    }
    return new ConfusionMatrixState(counts);
  }

  @Override
  public int classes() {
    return counts.length;
  }

  /** A copy of the counts, {@code [actual][predicted]}. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  @Override
  public ConfusionMatrixState merge(MetricState other) {
    ConfusionMatrixState o = (ConfusionMatrixState) other;
    if (o.counts.length != counts.length) {
      throw new IllegalArgumentException(
          "Cannot merge confusion matrices of " + counts.length + " and " + o.counts.length + " classes");
    }
    long[][] sum = new long[counts.length][counts.length];
    for (int i = 0; i < counts.length; i++) {
      for (int j = 0; j < counts.length; j++) {
        sum[i][j] = counts[i][j] + o.counts[i][j];
      }
    }
    return new ConfusionMatrixState(sum);
  }

  @Override
  public long count() {
    long n = 0;
    for (long[] row : counts) {
      for (long c : row) {
        n += c;
      }
    }
    return n;
  }

  @Override
  public long rows(int c) {
    return Arrays.stream(counts[c]).sum();
  }

  @Override
  public double cell(int actual, int predicted) {
    return counts[actual][predicted];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrixState other && Arrays.deepEquals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrixState" + Arrays.deepToString(counts);
  }
}

package io.sparkfit.metrics;

import java.util.Arrays;

/**
 * A k×k confusion matrix of counts, {@code counts[actual][predicted]}, from which precision, recall and
 * F1 follow per class and as macro, micro and weighted averages.
 *
 * <p>Where a class was never predicted its precision is 0, and where it never occurred its recall is
 * 0, as scikit-learn reports them (with {@code zero_division=0}).
 */
public final class ConfusionMatrixState implements MetricState {
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

  /** Examples whose actual class is {@code c}. */
  public long support(int c) {
    return Arrays.stream(counts[c]).sum();
  }

  private long predicted(int c) {
    long n = 0;
    for (long[] row : counts) {
      n += row[c];
    }
    return n;
  }

  public double precision(int c) {
    long p = predicted(c);
    return p == 0 ? 0 : (double) counts[c][c] / p;
  }

  public double recall(int c) {
    long s = support(c);
    return s == 0 ? 0 : (double) counts[c][c] / s;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** How per-class values are combined. */
  public enum Average {
    /** The unweighted mean over classes. */
    MACRO,
    /** Over all examples pooled: for single-label classification, precision = recall = F1 = accuracy. */
    MICRO,
    /** The mean over classes weighted by support. */
    WEIGHTED
  }

  public double precision(Average average) {
    return average(average, this::precision);
  }

  public double recall(Average average) {
    return average(average, this::recall);
  }

  public double f1(Average average) {
    return average(average, this::f1);
  }

  private double average(Average average, java.util.function.IntToDoubleFunction perClass) {
    int k = counts.length;
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    switch (average) {
      case MICRO -> {
        long correct = 0;
        for (int c = 0; c < k; c++) {
          correct += counts[c][c];
        }
        return (double) correct / n;
      }
      case WEIGHTED -> {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          sum += perClass.applyAsDouble(c) * support(c);
        }
        return sum / n;
      }
      default -> {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          sum += perClass.applyAsDouble(c);
        }
        return sum / k;
      }
    }
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

package io.sparkfit.metrics;

import java.util.function.IntToDoubleFunction;

/**
 * A k×k confusion matrix's cells, {@code [actual][predicted]}, counted ({@link ConfusionMatrixState}) or
 * summed weights ({@link WeightedConfusionMatrixState}): precision, recall and F1 follow from the cells
 * the same way, per class and as macro, micro and weighted averages, as scikit-learn computes them
 * (with {@code sample_weight} for weights).
 *
 * <p>Where a class was never predicted its precision is 0, and where it never occurred its recall is
 * 0, as scikit-learn reports them (with {@code zero_division=0}).
 */
public interface ClassTallies {
  /** How per-class values are combined. */
  enum Average {
    /** The unweighted mean over classes. */
    MACRO,
    /** Over all examples pooled: for single-label classification, precision = recall = F1 = accuracy. */
    MICRO,
    /** The mean over classes weighted by support. */
    WEIGHTED
  }

  int classes();

  /** The rows whose actual class is {@code c}, whatever their weights. */
  long rows(int c);

  /** The count (or summed weight) of the examples of class {@code actual} predicted as {@code predicted}. */
  double cell(int actual, int predicted);

  /** The count (or summed weight) of the examples whose actual class is {@code c}: scikit-learn's support. */
  default double actualTotal(int c) {
    double s = 0;
    for (int p = 0; p < classes(); p++) {
      s += cell(c, p);
    }
    return s;
  }

  private double predictedTotal(int c) {
    double s = 0;
    for (int a = 0; a < classes(); a++) {
      s += cell(a, c);
    }
    return s;
  }

  private double grandTotal() {
    double s = 0;
    for (int c = 0; c < classes(); c++) {
      s += actualTotal(c);
    }
    return s;
  }

  default double precision(int c) {
    double p = predictedTotal(c);
    return p == 0 ? 0 : cell(c, c) / p;
  }

  default double recall(int c) {
    double s = actualTotal(c);
    return s == 0 ? 0 : cell(c, c) / s;
  }

  default double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  default double precision(Average average) {
    return average(average, this::precision);
  }

  default double recall(Average average) {
    return average(average, this::recall);
  }

  default double f1(Average average) {
    return average(average, this::f1);
  }

  /** NaN over no examples (or no weight). */
  private double average(Average average, IntToDoubleFunction perClass) {
    int k = classes();
    double n = grandTotal();
    if (n == 0) {
      return Double.NaN;
    }
    switch (average) {
      case MICRO -> {
        double correct = 0;
        for (int c = 0; c < k; c++) {
          correct += cell(c, c);
        }
        return correct / n;
      }
      case WEIGHTED -> {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          sum += perClass.applyAsDouble(c) * actualTotal(c);
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
}

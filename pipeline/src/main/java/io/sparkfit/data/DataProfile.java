package io.sparkfit.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What one pass over a table found: row counts, invalid rows with one example, the feature widths
 * seen, per-feature statistics of the valid rows and the distinct labels. Partial profiles from
 * partitions merge into the table's profile; the merge is associative and commutative.
 */
final class DataProfile implements Serializable {
  private static final long serialVersionUID = 1L;
  /** More distinct labels than this is not a classification problem we accept. */
  static final int MAX_CLASSES = 1000;

  long rows;
  long invalidRows;
  String invalidExample;
  /** Feature width seen, with an example row for each: more than one width is an error. */
  final TreeMap<Integer, String> widths = new TreeMap<>();
  /** Labels that are not whole numbers in a classification over a floating-point column. */
  String fractionalLabelExample;
  final Set<Object> labels = new HashSet<>();
  boolean tooManyLabels;

  long statsCount;
  double[] sum;
  double[] sumSquares;
  double[] min;
  double[] max;
  /** Sums of a regression target over the same rows as the feature statistics. */
  double targetSum;
  double targetSumSquares;

  void addInvalid(String example) {
    rows++;
    invalidRows++;
    if (invalidExample == null) {
      invalidExample = example;
    }
  }

  void addValid(double[] features, int width, Object canonicalLabel, boolean isClass, Supplier<String> example) {
    rows++;
    if (!widths.containsKey(width)) {
      widths.put(width, example.get());
    }
    if (sum == null) {
      sum = new double[width];
      sumSquares = new double[width];
      min = new double[width];
      max = new double[width];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }
    if (sum.length == width) {
      statsCount++;
      if (!isClass) {
        double y = (Double) canonicalLabel;
        targetSum += y;
        targetSumSquares += y * y;
      }
      for (int i = 0; i < width; i++) {
        double x = features[i];
        sum[i] += x;
        sumSquares[i] += x * x;
        if (x < min[i]) {
          min[i] = x;
        }
        if (x > max[i]) {
          max[i] = x;
        }
      }
    }
    if (isClass && !tooManyLabels) {
      labels.add(canonicalLabel);
      if (labels.size() > MAX_CLASSES) {
        tooManyLabels = true;
      }
    }
  }

  DataProfile merge(DataProfile other) {
    rows += other.rows;
    invalidRows += other.invalidRows;
    if (invalidExample == null) {
      invalidExample = other.invalidExample;
    }
    other.widths.forEach(widths::putIfAbsent);
    if (fractionalLabelExample == null) {
      fractionalLabelExample = other.fractionalLabelExample;
    }
    tooManyLabels |= other.tooManyLabels;
    if (!tooManyLabels) {
      labels.addAll(other.labels);
      tooManyLabels = labels.size() > MAX_CLASSES;
    }
    if (other.sum != null) {
      if (sum == null) {
        statsCount = other.statsCount;
        targetSum = other.targetSum;
        targetSumSquares = other.targetSumSquares;
        sum = other.sum.clone();
        sumSquares = other.sumSquares.clone();
        min = other.min.clone();
        max = other.max.clone();
      } else if (sum.length == other.sum.length) {
        statsCount += other.statsCount;
        targetSum += other.targetSum;
        targetSumSquares += other.targetSumSquares;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += other.sum[i];
          sumSquares[i] += other.sumSquares[i];
          min[i] = Math.min(min[i], other.min[i]);
          max[i] = Math.max(max[i], other.max[i]);
        }
      }
    }
    return this;
  }

  long validRows() {
    return rows - invalidRows;
  }
}

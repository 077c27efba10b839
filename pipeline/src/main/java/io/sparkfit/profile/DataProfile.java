package io.sparkfit.profile;

import io.sparkfit.InvalidInputException;
import io.sparkfit.features.ColumnStatistics;
import io.sparkfit.features.ExactSum;
import io.sparkfit.features.Feature;
import io.sparkfit.features.ProjectedRows;
import io.sparkfit.inputs.DriftReference;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one pass over a table found: row counts, invalid rows (with the first column found invalid
 * and an example), the labels and how often each occurs (or the target's sums), and a
 * {@link ColumnStatistics} per feature column over the valid rows. Partial profiles from partitions
 * merge into the table's profile; the merge is associative and commutative, and exact.
 */
public final class DataProfile implements Serializable {
  private static final long serialVersionUID = 1L;
  /** More distinct labels than this is not a classification problem we accept. */
  static final int MAX_CLASSES = 1000;

  long rows;
  long invalidRows;
  /** The smallest description of an invalid row, with the column that made it invalid. */
  String invalidExample;
  /** Labels that are not whole numbers in a classification over a floating-point column. */
  String fractionalLabelExample;
  final Map<Object, Long> labelCounts = new HashMap<>();
  boolean tooManyLabels;
  /** Sums of a regression target over the valid rows. */
  final ExactSum targetSum = new ExactSum();
  final ExactSum targetSumSquares = new ExactSum();
  final ColumnStatistics[] columns;

  /**
   * The profiles of the projected rows kept for training and held out for validation (by their
   * holdout flag), in one pass: partitions profiled where they are, their states merged.
   */
  public static DataProfile[] of(Dataset<Row> projected, ProjectedRows layout, List<Feature> features) {
    return projected
        .javaRDD()
        .mapPartitions(new ProfilePartition(layout, features))
        .fold(
            new DataProfile[] {new DataProfile(features), new DataProfile(features)},
            (a, b) -> {
              a[0].merge(b[0]);
              a[1].merge(b[1]);
              return a;
            });
  }

  DataProfile(List<Feature> features) {
    columns = new ColumnStatistics[features.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = features.get(i).newStatistics();
    }
  }

  private DataProfile(ColumnStatistics[] empty) {
    columns = empty;
  }

  void addInvalid(String example) {
    rows++;
    invalidRows++;
    invalidExample = smaller(invalidExample, example);
  }

  /** Counts a valid row's label; its features go to {@link #columns} directly. */
  void addLabel(Object canonicalLabel, boolean isClass) {
    rows++;
    if (!isClass) {
      double y = (Double) canonicalLabel;
      targetSum.add(y);
      targetSumSquares.add(y * y);
    } else if (!tooManyLabels) {
      labelCounts.merge(canonicalLabel, 1L, Long::sum);
      if (labelCounts.size() > MAX_CLASSES) {
        tooManyLabels = true;
        labelCounts.clear();
      }
    }
  }

  public DataProfile merge(DataProfile other) {
    rows += other.rows;
    invalidRows += other.invalidRows;
    invalidExample = smaller(invalidExample, other.invalidExample);
    fractionalLabelExample = smaller(fractionalLabelExample, other.fractionalLabelExample);
    tooManyLabels |= other.tooManyLabels;
    if (tooManyLabels) {
      labelCounts.clear();
    } else {
      other.labelCounts.forEach((k, v) -> labelCounts.merge(k, v, Long::sum));
      if (labelCounts.size() > MAX_CLASSES) {
        tooManyLabels = true;
        labelCounts.clear();
      }
    }
    targetSum.merge(other.targetSum);
    targetSumSquares.merge(other.targetSumSquares);
    for (int i = 0; i < columns.length; i++) {
      columns[i].merge(other.columns[i]);
    }
    return this;
  }

  public DataProfile copy() {
    ColumnStatistics[] copies = new ColumnStatistics[columns.length];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = columns[i].copy();
    }
    DataProfile copy = new DataProfile(copies);
    copy.rows = rows;
    copy.invalidRows = invalidRows;
    copy.invalidExample = invalidExample;
    copy.fractionalLabelExample = fractionalLabelExample;
    copy.labelCounts.putAll(labelCounts);
    copy.tooManyLabels = tooManyLabels;
    copy.targetSum.merge(targetSum);
    copy.targetSumSquares.merge(targetSumSquares);
    return copy;
  }

  public long rows() {
    return rows;
  }

  public long invalidRows() {
    return invalidRows;
  }

  public long validRows() {
    return rows - invalidRows;
  }

  /** Each class label of the valid rows (canonical values) and how often it occurs. */
  public Map<Object, Long> labelCounts() {
    return java.util.Collections.unmodifiableMap(labelCounts);
  }

  /**
   * This profile as a drift check compares it: the table's {@code schema}, the label's class counts
   * (classification), and each feature column's distribution with {@code bins} quantile bins.
   */
  public DriftReference driftReference(List<DriftReference.TableColumn> schema, String label, boolean isClass, List<Feature> features, int bins) {
    List<DriftReference.Column> drift = new java.util.ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      drift.add(features.get(i).drift(columns[i], bins));
    }
    Map<String, Long> labels = null;
    if (isClass && !tooManyLabels) {
      labels = new java.util.TreeMap<>();
      for (Map.Entry<Object, Long> e : labelCounts.entrySet()) {
        labels.merge(String.valueOf(e.getKey()), e.getValue(), Long::sum);
      }
    }
    return new DriftReference(validRows(), schema, label, labels, drift);
  }

  /** Feature column {@code i}'s statistics. */
  public ColumnStatistics column(int i) {
    return columns[i];
  }

  /**
   * Fails with the first problem the profile of {@code key} (e.g. {@code data.train} = {@code path})
   * shows: no rows, a column its kind finds inconsistent, labels unfit for classification, or
   * invalid rows unless {@code dropInvalid}.
   */
  public void check(String key, String path, String label, boolean dropInvalid, List<Feature> features) {
    InvalidInputException.check(rows > 0, "%s = %s has no rows", key, path);
    for (int i = 0; i < features.size(); i++) {
      features.get(i).checkConsistent(columns[i], key);
    }
    if (fractionalLabelExample != null) {
      throw InvalidInputException.of(
          "label column '%s' in %s has a value that is not a whole number in row %s; classification over a "
              + "floating-point label needs class values such as 0.0, 1.0 (set data.task = regression for a numeric target)",
          label, key, fractionalLabelExample);
    }
    InvalidInputException.check(
        !tooManyLabels,
        "label column '%s' in %s has more than %d distinct values: too many classes (set data.task = regression for a numeric target)",
        label,
        key,
        MAX_CLASSES);
    if (invalidRows > 0) {
      InvalidInputException.check(
          dropInvalid, "%s has %d invalid rows, e.g. %s (set data.drop-invalid=true to drop them)", key, invalidRows, invalidExample);
      InvalidInputException.check(
          validRows() > 0, "%s has no valid rows: all %d rows are invalid, e.g. %s", key, rows, invalidExample);
    }
  }

  /** The smaller of two examples, so the example reported does not depend on the merge order. */
  static String smaller(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}

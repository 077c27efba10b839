package io.sparkfit.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass over a table found: row counts, invalid rows (with the first column found invalid
 * and an example), the labels and how often each occurs (or the target's sums), and a
 * {@link ColumnProfile} per feature column over the valid rows. Partial profiles from partitions
 * merge into the table's profile; the merge is associative and commutative, and exact.
 */
final class DataProfile implements Serializable {
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
  final ColumnProfile[] columns;

  DataProfile(List<SourceColumn> sources) {
    columns = new ColumnProfile[sources.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ColumnProfile.of(sources.get(i));
    }
  }

  private DataProfile(ColumnProfile[] empty) {
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

  DataProfile merge(DataProfile other) {
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

  DataProfile copy() {
    ColumnProfile[] copies = new ColumnProfile[columns.length];
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

  long validRows() {
    return rows - invalidRows;
  }

  /** The smaller of two examples, so the example reported does not depend on the merge order. */
  static String smaller(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}

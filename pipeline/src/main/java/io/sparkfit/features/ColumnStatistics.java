package io.sparkfit.features;

import io.sparkfit.config.FeatureColumn;
import io.sparkfit.inputs.DriftReference;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass found in one feature column, over the valid rows (each kind makes the state it needs, {@link Feature#newStatistics}): a partial state that merges with
 * the same column's state from other partitions. Merges are exact (counts, exact sums, min and max,
 * bucket counts), so they are associative and commutative, and the result does not depend on the
 * partitioning — the same laws the metric states obey.
 */
public abstract sealed class ColumnStatistics implements Serializable
    permits ColumnStatistics.Numeric, ColumnStatistics.Categorical, ColumnStatistics.Array {
  private static final long serialVersionUID = 1L;

  ColumnStatistics() {}

  /** Adds {@code other}'s counts to this state (the same column's, from another partition); returns this. */
  public abstract ColumnStatistics merge(ColumnStatistics other);

  /** An independent copy. */
  public abstract ColumnStatistics copy();

  /**
   * This column's distribution, for drift checks ({@code bins} population-stability bins for numbers).
   * The states that a drift check does not compare by distribution (arrays) give counts only.
   */
  abstract DriftReference.Column drift(String column, String kind, String type, int bins);

  /** Values present (finite), values missing (null or NaN), exact sums, range, and the median when asked for. */
  static final class Numeric extends ColumnStatistics {
    private static final long serialVersionUID = 1L;
    long present;
    long missing;
    final ExactSum sum = new ExactSum();
    final ExactSum sumSquares = new ExactSum();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    /** Only with median imputation: the sketch costs more than the sums. */
    final MedianSketch median;
    /** The distribution, for drift checks against this column in a later run. */
    final BucketSketch buckets;

    Numeric(boolean withMedian) {
      this(withMedian, BucketSketch.logarithmic());
    }

    /** With {@code buckets} of its own kind: dates bucket by day. */
    Numeric(boolean withMedian, BucketSketch buckets) {
      median = withMedian ? new MedianSketch() : null;
      this.buckets = buckets;
    }

    void add(double x) {
      present++;
      sum.add(x);
      sumSquares.add(x * x);
      min = Math.min(min, x);
      max = Math.max(max, x);
      buckets.add(x);
      if (median != null) {
        median.add(x);
      }
    }

    void addMissing() {
      missing++;
    }

    @Override
    public Numeric merge(ColumnStatistics other) {
      Numeric o = (Numeric) other;
      present += o.present;
      missing += o.missing;
      sum.merge(o.sum);
      sumSquares.merge(o.sumSquares);
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
      buckets.merge(o.buckets);
      if (median != null) {
        median.merge(o.median);
      }
      return this;
    }

    @Override
    public Numeric copy() {
      return new Numeric(median != null, buckets.emptyLike()).merge(this);
    }

    @Override
    DriftReference.Column drift(String column, String kind, String type, int bins) {
      int[] keys = buckets.keys();
      long[] counts = buckets.counts(keys);
      List<Double> upper = new ArrayList<>();
      for (int key : keys) {
        upper.add(buckets.upperBoundOf(key));
      }
      return new DriftReference.Column(
          column,
          kind,
          type,
          present,
          missing,
          new DriftReference.Buckets(
              BucketSketch.RELATIVE_ACCURACY,
              buckets.width(),
              java.util.Arrays.stream(keys).boxed().toList(),
              java.util.Arrays.stream(counts).boxed().toList(),
              upper),
          quantileBins(keys, counts, present, bins, buckets),
          null);
    }
  }

  /**
   * Counts of each value and of nulls. Counting stops at {@link FeatureColumn#COUNT_LIMIT} distinct
   * values (the state then only remembers that it overflowed), so a column of IDs cannot exhaust
   * memory; whether the union overflows does not depend on the partitioning.
   */
  static final class Categorical extends ColumnStatistics {
    private static final long serialVersionUID = 1L;
    final Map<String, Long> counts = new HashMap<>();
    long nulls;
    boolean overflowed;

    void add(String value) {
      if (value == null) {
        nulls++;
        return;
      }
      if (!overflowed) {
        counts.merge(value, 1L, Long::sum);
        checkLimit();
      }
    }

    private void checkLimit() {
      if (counts.size() > FeatureColumn.COUNT_LIMIT) {
        overflowed = true;
        counts.clear();
      }
    }

    long present() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Categorical merge(ColumnStatistics other) {
      Categorical o = (Categorical) other;
      nulls += o.nulls;
      overflowed |= o.overflowed;
      if (overflowed) {
        counts.clear();
      } else {
        o.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        checkLimit();
      }
      return this;
    }

    @Override
    public Categorical copy() {
      return new Categorical().merge(this);
    }

    /** Every value's count (a saved reference keeps the most frequent: {@link DriftReference#withVocabularyAtMost}). */
    @Override
    DriftReference.Column drift(String column, String kind, String type, int bins) {
      return new DriftReference.Column(
          column, kind, type, present(), nulls, null, null, new DriftReference.Vocabulary(counts, 0, !overflowed));
    }
  }

  /**
   * The array lengths seen (with an example row each: more than one length is an error) and, per
   * element, exact sums and the range over the rows of the first length seen.
   */
  static sealed class Array extends ColumnStatistics permits Sequence {
    private static final long serialVersionUID = 1L;
    final TreeMap<Integer, String> lengths = new TreeMap<>();
    long count;
    ExactSum[] sum;
    ExactSum[] sumSquares;
    double[] min;
    double[] max;

    void add(double[] values, int length, java.util.function.Supplier<String> example) {
      if (!lengths.containsKey(length)) {
        lengths.put(length, example.get());
      }
      if (sum == null) {
        allocate(length);
      }
      if (sum.length != length) {
        return;
      }
      count++;
      for (int i = 0; i < length; i++) {
        double x = values[i];
        sum[i].add(x);
        sumSquares[i].add(x * x);
        if (x < min[i]) {
          min[i] = x;
        }
        if (x > max[i]) {
          max[i] = x;
        }
      }
    }

    private void allocate(int length) {
      sum = new ExactSum[length];
      sumSquares = new ExactSum[length];
      min = new double[length];
      max = new double[length];
      for (int i = 0; i < length; i++) {
        sum[i] = new ExactSum();
        sumSquares[i] = new ExactSum();
        min[i] = Double.POSITIVE_INFINITY;
        max[i] = Double.NEGATIVE_INFINITY;
      }
    }

    /**
     * Merges per-element statistics only between states of one length; rows of other lengths are
     * remembered in {@link #lengths} and fail the check. The smallest length's statistics win, so the
     * result does not depend on the merge order.
     */
    @Override
    public Array merge(ColumnStatistics other) {
      Array o = (Array) other;
      // The smaller example text wins, so even the example does not depend on the merge order.
      o.lengths.forEach((k, v) -> lengths.merge(k, v, (a, b) -> a.compareTo(b) <= 0 ? a : b));
      if (o.sum == null) {
        return this;
      }
      if (sum == null || o.sum.length < sum.length) {
        allocate(o.sum.length);
        count = 0;
      }
      if (sum.length == o.sum.length) {
        count += o.count;
        for (int i = 0; i < sum.length; i++) {
          sum[i].merge(o.sum[i]);
          sumSquares[i].merge(o.sumSquares[i]);
          min[i] = Math.min(min[i], o.min[i]);
          max[i] = Math.max(max[i], o.max[i]);
        }
      }
      return this;
    }

    @Override
    public Array copy() {
      return new Array().merge(this);
    }

    @Override
    DriftReference.Column drift(String column, String kind, String type, int bins) {
      return new DriftReference.Column(column, kind, type, count, 0, null, null, null);
    }
  }

  /**
   * A sequence column: its time steps profiled as arrays (so every step of every row has one width,
   * and each feature is scaled over all steps), and the fewest and most steps of a row.
   */
  static final class Sequence extends Array {
    private static final long serialVersionUID = 1L;
    int fewestSteps = Integer.MAX_VALUE;
    int mostSteps;

    void addRow(int steps) {
      fewestSteps = Math.min(fewestSteps, steps);
      mostSteps = Math.max(mostSteps, steps);
    }

    @Override
    public Sequence merge(ColumnStatistics other) {
      super.merge(other);
      Sequence o = (Sequence) other;
      fewestSteps = Math.min(fewestSteps, o.fewestSteps);
      mostSteps = Math.max(mostSteps, o.mostSteps);
      return this;
    }

    @Override
    public Sequence copy() {
      return new Sequence().merge(this);
    }
  }

  /**
   * Population-stability bins of {@code bins} quantiles, their edges at bucket boundaries so that
   * each bucket falls in exactly one bin: bin {@code i} ends at the first bucket where the cumulative
   * count reaches {@code (i+1)/bins} of the values. Buckets heavier than a bin merge bins.
   */
  static DriftReference.Bins quantileBins(int[] keys, long[] counts, long total, int bins, BucketSketch grid) {
    List<Integer> edgeKeys = new ArrayList<>();
    List<Long> binCounts = new ArrayList<>();
    long cumulative = 0;
    long inBin = 0;
    int next = 1;
    for (int i = 0; i < keys.length; i++) {
      cumulative += counts[i];
      inBin += counts[i];
      // An exact integer comparison: cumulative / total >= next / bins.
      if (cumulative * (long) bins >= next * total || i == keys.length - 1) {
        edgeKeys.add(keys[i]);
        binCounts.add(inBin);
        inBin = 0;
        while (next <= bins && cumulative * (long) bins >= next * total) {
          next++;
        }
      }
    }
    return new DriftReference.Bins(edgeKeys.stream().map(grid::upperBoundOf).toList(), edgeKeys, binCounts);
  }
}

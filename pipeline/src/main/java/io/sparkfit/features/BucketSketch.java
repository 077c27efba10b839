package io.sparkfit.features;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A column's distribution in one pass, for drift checks: counts per logarithmic bucket, the buckets
 * fixed by the value alone (each covers values within {@link #RELATIVE_ACCURACY} of one another, as
 * DDSketch's do), so merging adds counts and the result does not depend on the partitioning or the
 * merge order. Kept whole rather than as a quantile summary because the drift check needs both the
 * reference's quantile bins (population stability) and its cumulative distribution
 * (Kolmogorov–Smirnov), and both are exact on this grid: two values in different buckets are never
 * confused.
 *
 * <p>Bucket keys order like the values: negative values have negative keys (larger magnitudes
 * further from zero), values within {@link #ZERO} of zero have key 0, positive values positive keys.
 */
public final class BucketSketch implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Each logarithmic bucket spans a factor of (1 + a) / (1 - a): values 0.2% apart fall in different buckets. */
  public static final double RELATIVE_ACCURACY = 0.001;
  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LOG_GAMMA = StrictMath.log(GAMMA);
  /** Magnitudes below this share the zero bucket. */
  static final double ZERO = 1e-12;
  /** Keeps the keys of positive magnitudes (down to {@link #ZERO}) above 0. */
  private static final int OFFSET = 100_000;

  /** Beyond these magnitudes values share the outermost buckets (finite keys, whatever the value). */
  private static final double LARGEST = 1e300;

  private final Map<Integer, Long> counts = new HashMap<>();
  /** 0 for logarithmic buckets; else each bucket holds [k * width, (k + 1) * width). */
  private final double width;

  private BucketSketch(double width) {
    this.width = width;
  }

  /** Logarithmic buckets: for numbers, whose scale the data sets. */
  static BucketSketch logarithmic() {
    return new BucketSketch(0);
  }

  /**
   * Buckets of {@code width}: for dates (in days), which lie far from zero, where a logarithmic
   * bucket would span months.
   */
  static BucketSketch linear(double width) {
    return new BucketSketch(width);
  }

  /** The logarithmic bucket of {@code x}; StrictMath, so keys are the same on every JVM. */
  public static int key(double x) {
    double magnitude = Math.min(Math.abs(x), LARGEST);
    if (!(magnitude >= ZERO)) {
      return 0;
    }
    int k = OFFSET + (int) Math.ceil(StrictMath.log(magnitude) / LOG_GAMMA);
    return x > 0 ? k : -k;
  }

  /** The largest value of logarithmic bucket {@code key}: positive buckets hold (γ^(k-1), γ^k], negative ones their mirror. */
  public static double upperBound(int key) {
    if (key == 0) {
      return ZERO;
    }
    int k = Math.abs(key) - OFFSET;
    return key > 0 ? StrictMath.pow(GAMMA, k) : -StrictMath.pow(GAMMA, k - 1);
  }

  private int keyOf(double x) {
    if (width == 0) {
      return key(x);
    }
    double k = Math.floor(x / width);
    return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE - 1, k));
  }

  /** The largest value (exclusive for linear buckets) of this sketch's bucket {@code key}. */
  double upperBoundOf(int key) {
    return width == 0 ? upperBound(key) : (key + 1.0) * width;
  }

  /** The width of a linear sketch's buckets, or null for logarithmic ones. */
  Double width() {
    return width == 0 ? null : width;
  }

  void add(double x) {
    counts.merge(keyOf(x), 1L, Long::sum);
  }

  BucketSketch merge(BucketSketch other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  /** An empty sketch on this one's grid. */
  BucketSketch emptyLike() {
    return new BucketSketch(width);
  }

  BucketSketch copy() {
    BucketSketch copy = new BucketSketch(width);
    return copy.merge(this);
  }

  /** The keys of the buckets that hold values, ascending. */
  int[] keys() {
    int[] keys = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(keys);
    return keys;
  }

  /** The count of each of {@code keys}. */
  long[] counts(int[] keys) {
    long[] out = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = counts.getOrDefault(keys[i], 0L);
    }
    return out;
  }
}

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
  public static final double RELATIVE_ACCURACY = 0.005;
  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LOG_GAMMA = Math.log(GAMMA);
  /** Magnitudes below this share the zero bucket. */
  static final double ZERO = 1e-12;
  /** Keeps the keys of positive magnitudes (down to {@link #ZERO}) above 0. */
  private static final int OFFSET = 100_000;

  private final Map<Integer, Long> counts = new HashMap<>();

  /** The bucket of {@code x} (finite). */
  public static int key(double x) {
    double magnitude = Math.abs(x);
    if (magnitude < ZERO) {
      return 0;
    }
    int k = OFFSET + (int) Math.ceil(Math.log(magnitude) / LOG_GAMMA);
    return x > 0 ? k : -k;
  }

  /** The largest value of bucket {@code key}: positive buckets hold (γ^(k-1), γ^k], negative ones their mirror. */
  public static double upperBound(int key) {
    if (key == 0) {
      return ZERO;
    }
    int k = Math.abs(key) - OFFSET;
    return key > 0 ? Math.pow(GAMMA, k) : -Math.pow(GAMMA, k - 1);
  }

  void add(double x) {
    counts.merge(key(x), 1L, Long::sum);
  }

  BucketSketch merge(BucketSketch other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  BucketSketch copy() {
    return new BucketSketch().merge(this);
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

package io.sparkfit.features;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A sum of doubles without rounding error (Shewchuk's non-overlapping partials, the algorithm of
 * Python's {@code math.fsum}): the exact sum is kept as a short list of doubles, and {@link #value()}
 * rounds it once, correctly. So the sum does not depend on the order of the values, nor on how the
 * data was partitioned: profiles of 1, 2 or 7 partitions give the same statistics to the last bit.
 * A sum that overflows the double range is infinite.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] partials = new double[4];
  private int size;
  /** The sum of non-finite inputs and of overflowed partial sums; 0 while everything is finite. */
  private double special;

  public void add(double x) {
    if (!Double.isFinite(x)) {
      special += x;
      return;
    }
    int kept = 0;
    for (int j = 0; j < size; j++) {
      double y = partials[j];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      if (!Double.isFinite(hi)) {
        special += hi;
        size = 0;
        return;
      }
      double lo = y - (hi - x);
      if (lo != 0.0) {
        partials[kept++] = lo;
      }
      x = hi;
    }
    if (kept == partials.length) {
      partials = Arrays.copyOf(partials, kept * 2);
    }
    partials[kept++] = x;
    size = kept;
  }

  public ExactSum merge(ExactSum other) {
    for (int i = 0; i < other.size; i++) {
      add(other.partials[i]);
    }
    special += other.special;
    return this;
  }

  public ExactSum copy() {
    return new ExactSum().merge(this);
  }

  /** The exact sum, rounded once to the nearest double (ties to even). */
  public double value() {
    if (special != 0.0 || Double.isNaN(special)) {
      return special;
    }
    int n = size;
    if (n == 0) {
      return 0.0;
    }
    double hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
      double x = hi;
      double y = partials[--n];
      hi = x + y;
      double rounded = hi - x;
      lo = y - rounded;
      if (lo != 0.0) {
        break;
      }
    }
    // Round half to even across the rest of the partials, as fsum does.
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      double y = lo * 2;
      double x = hi + y;
      if (y == x - hi) {
        hi = x;
      }
    }
    return hi;
  }
}

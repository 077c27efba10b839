package io.sparkfit.metrics;

import io.sparkfit.features.ExactSum;
import java.util.Arrays;

/**
 * Regression errors over weighted examples as exact sums {@code (Σw, Σwy, Σwy², Σwe², Σw|e|)}, from
 * which MSE, RMSE, MAE and R² follow as scikit-learn computes them with {@code sample_weight}
 * (R² = 1 - Σwe² / Σw(y - ȳ_w)²), independent of the split and order of the examples.
 */
public final class WeightedRegressionState implements MetricState, RegressionErrors {
  private static final long serialVersionUID = 1L;
  private static final int W = 0;
  private static final int WY = 1;
  private static final int WY2 = 2;
  private static final int WE2 = 3;
  private static final int WABS = 4;
  private final ExactSum[] sums;
  private final long count;

  private WeightedRegressionState(ExactSum[] sums, long count) {
    this.sums = sums;
    this.count = count;
  }

  static WeightedRegressionState empty() {
    ExactSum[] sums = new ExactSum[5];
    Arrays.setAll(sums, i -> new ExactSum());
    return new WeightedRegressionState(sums, 0);
  }

  /** The state of {@code n} examples: their weights, targets and errors (prediction - target). */
  static WeightedRegressionState of(int n, float[] weights, double[] targets, double[] errors) {
    ExactSum[] sums = new ExactSum[5];
    Arrays.setAll(sums, i -> new ExactSum());
    for (int i = 0; i < n; i++) {
      double w = weights[i];
      double y = targets[i];
      double e = errors[i];
      sums[W].add(w);
      sums[WY].add(w * y);
      sums[WY2].add(w * y * y);
      sums[WE2].add(w * e * e);
      sums[WABS].add(w * Math.abs(e));
    }
    return new WeightedRegressionState(sums, n);
  }

  @Override
  public WeightedRegressionState merge(MetricState other) {
    WeightedRegressionState o = (WeightedRegressionState) other;
    ExactSum[] merged = new ExactSum[sums.length];
    for (int i = 0; i < sums.length; i++) {
      merged[i] = sums[i].copy().merge(o.sums[i]);
    }
    return new WeightedRegressionState(merged, count + o.count);
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public double mse() {
    double w = sums[W].value();
    return w == 0 ? Double.NaN : sums[WE2].value() / w;
  }

  @Override
  public double rmse() {
    return Math.sqrt(mse());
  }

  @Override
  public double mae() {
    double w = sums[W].value();
    return w == 0 ? Double.NaN : sums[WABS].value() / w;
  }

  /** R² = 1 - Σwe² / (Σwy² - (Σwy)² / Σw); NaN when the target does not vary. */
  @Override
  public double r2() {
    double w = sums[W].value();
    double wy = sums[WY].value();
    double totalSquares = w == 0 ? 0 : sums[WY2].value() - wy * wy / w;
    return totalSquares <= 0 ? Double.NaN : 1 - sums[WE2].value() / totalSquares;
  }

  private double[] values() {
    return Arrays.stream(sums).mapToDouble(ExactSum::value).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedRegressionState other && count == other.count && Arrays.equals(values(), other.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values()) * 31 + Long.hashCode(count);
  }

  @Override
  public String toString() {
    return "WeightedRegressionState" + Arrays.toString(values()) + "[count=" + count + "]";
  }
}

package io.sparkfit.metrics;

/**
 * Regression errors as {@code (n, Σy, Σy², Σe², Σ|e|)}, from which MSE, RMSE, MAE and R² follow exactly.
 */
public record RegressionState(long n, double sumY, double sumY2, double sumE2, double sumAbsE)
    implements MetricState, RegressionErrors {
  public static final RegressionState EMPTY = new RegressionState(0, 0, 0, 0, 0);

  @Override
  public RegressionState merge(MetricState other) {
    RegressionState o = (RegressionState) other;
    return new RegressionState(n + o.n, sumY + o.sumY, sumY2 + o.sumY2, sumE2 + o.sumE2, sumAbsE + o.sumAbsE);
  }

  @Override
  public long count() {
    return n;
  }

  @Override
  public double mse() {
    return n == 0 ? Double.NaN : sumE2 / n;
  }

  @Override
  public double rmse() {
    return Math.sqrt(mse());
  }

  @Override
  public double mae() {
    return n == 0 ? Double.NaN : sumAbsE / n;
  }

  /** R² = 1 - SSE / SST; NaN when the target does not vary. */
  @Override
  public double r2() {
    double totalSquares = n == 0 ? 0 : sumY2 - sumY * sumY / n;
    return totalSquares <= 0 ? Double.NaN : 1 - sumE2 / totalSquares;
  }
}

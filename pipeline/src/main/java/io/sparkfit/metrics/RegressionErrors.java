package io.sparkfit.metrics;

/** MSE, RMSE, MAE and R² of a regression, counted ({@link RegressionState}) or weighted ({@link WeightedRegressionState}). */
public interface RegressionErrors {
  double mse();

  double rmse();

  double mae();

  /** R² = 1 - SSE / SST; NaN when the target does not vary. */
  double r2();
}

package io.sparkfit.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression errors as {@code (n, Σy, Σy², Σe², Σ|e|)}, from which MSE, RMSE, MAE and R² follow exactly.
 */
public record RegressionState(long n, double sumY, double sumY2, double sumE2, double sumAbsE)
    implements MetricState {
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
  public Map<String, Double> results() {
    Map<String, Double> r = new LinkedHashMap<>();
    double mse = n == 0 ? Double.NaN : sumE2 / n;
    r.put("mse", mse);
    r.put("rmse", Math.sqrt(mse));
    r.put("mae", n == 0 ? Double.NaN : sumAbsE / n);
    double totalSquares = sumY2 - sumY * sumY / n;
    r.put("r2", n == 0 || totalSquares <= 0 ? Double.NaN : 1 - sumE2 / totalSquares);
    return r;
  }
}

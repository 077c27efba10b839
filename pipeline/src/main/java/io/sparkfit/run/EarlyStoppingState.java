package io.sparkfit.run;

import io.sparkfit.config.EarlyStopping;
import java.util.Map;

/**
 * Where early stopping stands after an epoch: the best epoch so far, its value, and how many epochs
 * since then. Epochs without the metric (no validation pass that epoch) neither improve nor count.
 */
public record EarlyStoppingState(int bestEpoch, double bestValue, int epochsSinceBest) {

  public static EarlyStoppingState start() {
    return new EarlyStoppingState(0, Double.NaN, 0);
  }

  /** The state after an epoch's {@code metrics.json} entry. */
  public EarlyStoppingState after(EarlyStopping rule, int epoch, Map<String, Object> entry) {
    if (!rule.enabled()) {
      return new EarlyStoppingState(epoch, Double.NaN, 0);
    }
    String metric = rule.metric().get();
    int dot = metric.indexOf('.');
    Object block = entry.get(metric.substring(0, dot));
    Object value = block instanceof Map<?, ?> map ? map.get(metric.substring(dot + 1)) : null;
    if (!(value instanceof Number number)) {
      return this;
    }
    double v = number.doubleValue();
    if (bestEpoch == 0 || rule.improves(v, bestValue)) {
      return new EarlyStoppingState(epoch, v, 0);
    }
    return new EarlyStoppingState(bestEpoch, bestValue, epochsSinceBest + 1);
  }

  public boolean improvedAt(int epoch) {
    return bestEpoch == epoch;
  }

  public boolean shouldStop(EarlyStopping rule) {
    return rule.enabled() && epochsSinceBest >= rule.patience();
  }
}

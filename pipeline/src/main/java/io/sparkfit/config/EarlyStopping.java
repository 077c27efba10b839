package io.sparkfit.config;

import java.util.Optional;

/**
 * {@code training.early-stopping}: stop when {@code metric} has not improved by more than
 * {@code minDelta} for {@code patience} epochs, and keep the best epoch's model.
 *
 * @param metric {@code validation.<name>} or {@code train.<name>}, e.g. {@code validation.loss}; empty when off
 */
public record EarlyStopping(Optional<String> metric, Mode mode, int patience, double minDelta) {

  /** Whether smaller or larger values of the metric are better. */
  public enum Mode {
    MIN,
    MAX
  }

  public static EarlyStopping off() {
    return new EarlyStopping(Optional.empty(), Mode.MIN, 3, 0);
  }

  public boolean enabled() {
    return metric.isPresent();
  }

  /** Whether {@code value} improves on {@code best} by more than {@code minDelta}. */
  public boolean improves(double value, double best) {
    return mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
  }
}

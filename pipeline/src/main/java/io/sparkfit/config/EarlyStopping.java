package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.Locale;

/**
 * {@code training.early-stopping}: either {@link Off}, or stop when a metric has not improved by more
 * than {@code minDelta} for {@code patience} epochs, and keep the best epoch's model.
 */
public sealed interface EarlyStopping {

  /** Whether smaller or larger values of the metric are better. */
  enum Mode {
    MIN,
    MAX
  }

  /** Which block of an epoch's metrics a monitored metric comes from. */
  enum Split {
    TRAIN,
    VALIDATION;

    /** As in {@code metrics.json} and in config: {@code train}, {@code validation}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A metric of one split, written {@code validation.loss} in config. */
  record Monitored(Split split, Metric metric) {
    public Monitored {
      InvalidInputException.check(
          metric.isScalar(), "Invalid training.early-stopping.metric: %s.%s (not a number)", split.key(), metric);
    }

    /** Parses {@code validation.<metric>} or {@code train.<metric>}; empty when it is neither. */
    public static java.util.Optional<Monitored> parse(String text) {
      int dot = text.indexOf('.');
      if (dot < 0) {
        return java.util.Optional.empty();
      }
      String split = text.substring(0, dot);
      java.util.Optional<Metric> metric = Metric.named(text.substring(dot + 1)).filter(Metric::isScalar);
      if (metric.isEmpty() || !(split.equals("train") || split.equals("validation"))) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new Monitored(split.equals("train") ? Split.TRAIN : Split.VALIDATION, metric.get()));
    }

    @Override
    public String toString() {
      return split.key() + "." + metric;
    }
  }

  /**
   * No early stopping: every epoch runs and the last one's model is kept.
   *
   * @param reason why, for the log: {@code training.early-stopping.metric = none}, or what left {@code auto} without a metric
   */
  record Off(String reason) implements EarlyStopping {}

  /** Stop after {@code patience} epochs without an improvement of {@code metric} by more than {@code minDelta}. */
  record OnMetric(Monitored metric, Mode mode, int patience, double minDelta) implements EarlyStopping {
    public OnMetric {
      checkPatience(patience, minDelta);
    }

    /** Whether {@code value} improves on {@code best} by more than {@code minDelta}. */
    public boolean improves(double value, double best) {
      return mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
    }
  }

  /** The default metric, {@code auto}: the validation loss, which every run with validation data computes. */
  Monitored AUTO_METRIC = new Monitored(Split.VALIDATION, Metric.LOSS);

  static EarlyStopping off() {
    return new Off("training.early-stopping.metric = none");
  }

  /**
   * The rule config describes: {@code patience} and {@code minDelta} are checked even when no metric
   * is monitored, so a typo shows before it matters.
   */
  static EarlyStopping of(java.util.Optional<Monitored> metric, Mode mode, int patience, double minDelta) {
    checkPatience(patience, minDelta);
    return metric.<EarlyStopping>map(m -> new OnMetric(m, mode, patience, minDelta)).orElseGet(EarlyStopping::off);
  }

  /**
   * {@code metric = auto}, the default: stop on the validation loss (mode min) when the run has
   * validation data and computes metrics, else off, saying why.
   *
   * @param noValidation why the run has no validation loss to watch, or empty when it has one
   */
  static EarlyStopping auto(java.util.Optional<String> noValidation, int patience, double minDelta) {
    checkPatience(patience, minDelta);
    return noValidation.<EarlyStopping>map(why -> new Off("training.early-stopping.metric = auto, but " + why))
        .orElseGet(() -> new OnMetric(AUTO_METRIC, Mode.MIN, patience, minDelta));
  }

  private static void checkPatience(int patience, double minDelta) {
    InvalidInputException.check(patience >= 1, "Invalid training.early-stopping.patience: %s (must be >= 1)", patience);
    Checks.atMost(patience, Limits.MAX_EPOCH_COUNT, "training.early-stopping.patience");
    InvalidInputException.check(
        minDelta >= 0 && Double.isFinite(minDelta), "Invalid training.early-stopping.min-delta: %s (must be >= 0)", minDelta);
  }
}

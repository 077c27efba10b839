package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.List;

/**
 * Which metrics a run computes, and where. Validates itself; whether the names fit the task is
 * checked where the task is known ({@link #checkFits}).
 *
 * @param names the metrics asked for; {@code loss} is always reported
 * @param everyEpochs compute metrics on every n-th epoch (and always on the last)
 * @param aucBins score bins of the AUC histograms
 * @param topK the k of {@code top-k-accuracy}
 * @param slices {@code metrics.slices}: columns of data.train whose values get metrics of their own in
 *     evaluate; the values are fixed from the training data and saved with the model
 * @param sliceValues {@code metrics.slice-values}: how many of a slice column's most frequent values keep
 *     a slice of their own; the rest share "(other)", nulls "(null)"
 */
public record MetricsConfig(Mode mode, List<Metric> names, int everyEpochs, int aucBins, int topK, List<String> slices, int sliceValues) {
  /** The most values a slice column keeps: each adds a set of metric states to every evaluation task's result. */
  public static final int MAX_SLICE_VALUES = 100;

  public MetricsConfig {
    names = List.copyOf(names);
    slices = List.copyOf(slices);
    InvalidInputException.check(
        slices.stream().distinct().count() == slices.size(), "Invalid metrics.slices: %s (a column listed twice)", slices);
    slices.forEach(s -> Checks.nonBlank(s, "metrics.slices"));
    InvalidInputException.check(sliceValues >= 1, "Invalid metrics.slice-values: %s (must be >= 1)", sliceValues);
    Checks.atMost(sliceValues, MAX_SLICE_VALUES, "metrics.slice-values");
    InvalidInputException.check(
        names.stream().distinct().count() == names.size(), "Invalid metrics.names: %s (a metric listed twice)", names);
    InvalidInputException.check(everyEpochs > 0, "Invalid metrics.every-epochs: %s (must be > 0)", everyEpochs);
    Checks.atMost(everyEpochs, Limits.MAX_EPOCH_COUNT, "metrics.every-epochs");
    InvalidInputException.check(aucBins >= 2, "Invalid metrics.auc-bins: %s (must be >= 2)", aucBins);
    Checks.atMost(aucBins, Limits.MAX_AUC_BINS, "metrics.auc-bins");
    InvalidInputException.check(topK >= 1, "Invalid metrics.top-k: %s (must be >= 1)", topK);
    Checks.atMost(topK, Limits.MAX_TOP_K, "metrics.top-k");
  }

  /** Where metrics are computed. */
  public enum Mode {
    /** Training metrics from the training forward pass, and validation metrics, each metrics epoch. */
    FULL,
    /** The training loss, and metrics on the validation data. */
    VALIDATION,
    /** No metric work at all: only the loss that training computes anyway. */
    FAST
  }

  /** Fails naming the first metric asked for that does not fit {@code task}. */
  public void checkFits(Task task) {
    for (Metric name : names) {
      InvalidInputException.check(
          name.fits(task),
          "Invalid metrics.names: %s does not fit data.task = %s (metrics for it: %s)",
          name,
          Values.lower(task),
          Metric.forTask(task));
    }
  }

  public boolean wants(Metric name) {
    return names.contains(name);
  }

  /** Whether metrics are computed on this epoch of {@code epochs}. */
  public boolean isMetricsEpoch(int epoch, int epochs) {
    return epoch % everyEpochs == 0 || epoch == epochs;
  }
}

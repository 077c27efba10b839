package io.sparkfit.config;

import java.util.List;
import java.util.Set;

/**
 * Which metrics a run computes, and where.
 *
 * @param names the metrics asked for, as users write them; {@code loss} is always reported
 * @param everyEpochs compute metrics on every n-th epoch (and always on the last)
 * @param aucBins score bins of the AUC histograms
 * @param topK the k of {@code top-k-accuracy}
 */
public record MetricsConfig(Mode mode, List<String> names, int everyEpochs, int aucBins, int topK) {

  public MetricsConfig {
    names = List.copyOf(names);
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

  /** Metric names for classifiers. */
  public static final List<String> CLASSIFICATION_NAMES =
      List.of(
          "loss", "accuracy", "top-k-accuracy", "precision", "recall", "f1", "precision-micro", "recall-micro",
          "f1-micro", "precision-weighted", "recall-weighted", "f1-weighted", "auc", "auc-pr", "log-loss",
          "confusion-matrix");
  /** Metric names for regression. */
  public static final List<String> REGRESSION_NAMES = List.of("loss", "mse", "rmse", "mae", "r2");

  public static List<String> namesFor(Task task) {
    return task == Task.CLASSIFICATION ? CLASSIFICATION_NAMES : REGRESSION_NAMES;
  }

  public static List<String> defaultNames(Task task) {
    return task == Task.CLASSIFICATION ? List.of("accuracy") : List.of("mse");
  }

  public boolean wants(String name) {
    return names.contains(name);
  }

  public boolean wantsAny(Set<String> candidates) {
    return names.stream().anyMatch(candidates::contains);
  }

  /** Whether metrics are computed on this epoch of {@code epochs}. */
  public boolean isMetricsEpoch(int epoch, int epochs) {
    return epoch % everyEpochs == 0 || epoch == epochs;
  }
}

package io.sparkfit.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every metric Sparkfit reports, by the name users write in {@code metrics.names} and read in
 * {@code metrics.json}: the one place that knows the metric names and which task each fits.
 * {@code toString()} is the name.
 */
public enum Metric {
  LOSS("loss", null),
  ACCURACY("accuracy", Task.CLASSIFICATION),
  TOP_K_ACCURACY("top-k-accuracy", Task.CLASSIFICATION),
  PRECISION("precision", Task.CLASSIFICATION),
  RECALL("recall", Task.CLASSIFICATION),
  F1("f1", Task.CLASSIFICATION),
  PRECISION_MICRO("precision-micro", Task.CLASSIFICATION),
  RECALL_MICRO("recall-micro", Task.CLASSIFICATION),
  F1_MICRO("f1-micro", Task.CLASSIFICATION),
  PRECISION_WEIGHTED("precision-weighted", Task.CLASSIFICATION),
  RECALL_WEIGHTED("recall-weighted", Task.CLASSIFICATION),
  F1_WEIGHTED("f1-weighted", Task.CLASSIFICATION),
  AUC("auc", Task.CLASSIFICATION),
  AUC_PR("auc-pr", Task.CLASSIFICATION),
  LOG_LOSS("log-loss", Task.CLASSIFICATION),
  /** Not a number: the matrix itself, rows actual and columns predicted. */
  CONFUSION_MATRIX("confusion-matrix", Task.CLASSIFICATION),
  MSE("mse", Task.REGRESSION),
  RMSE("rmse", Task.REGRESSION),
  MAE("mae", Task.REGRESSION),
  R2("r2", Task.REGRESSION);

  private final String key;
  /** The task it fits; null for both. */
  private final Task task;

  Metric(String key, Task task) {
    this.key = key;
    this.task = task;
  }

  /** The name in config and in {@code metrics.json}. */
  public String key() {
    return key;
  }

  public boolean fits(Task t) {
    return task == null || task == t;
  }

  /** Whether the metric is one number (all but the confusion matrix). */
  public boolean isScalar() {
    return this != CONFUSION_MATRIX;
  }

  /** Whether it is computed from the confusion matrix (precision, recall, F1 and their averages). */
  public boolean fromConfusionMatrix() {
    return switch (this) {
      case PRECISION, RECALL, F1, PRECISION_MICRO, RECALL_MICRO, F1_MICRO, PRECISION_WEIGHTED, RECALL_WEIGHTED, F1_WEIGHTED -> true;
      default -> false;
    };
  }

  /** The metric called {@code key}, if there is one. */
  public static Optional<Metric> named(String key) {
    return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
  }

  /** The metrics that fit {@code task}, loss first. */
  public static List<Metric> forTask(Task task) {
    return Arrays.stream(values()).filter(m -> m.fits(task)).toList();
  }

  /** What {@code metrics.names} means when it is not set. */
  public static List<Metric> defaultsFor(Task task) {
    return task == Task.CLASSIFICATION ? List.of(ACCURACY, F1) : List.of(MSE, R2);
  }

  @Override
  public String toString() {
    return key;
  }
}

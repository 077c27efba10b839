package io.sparkfit.metrics;

import io.sparkfit.config.Metric;
import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.Task;
import java.io.Serializable;

/**
 * Turns one minibatch of network outputs and labels into the metric states a run asked for, and only
 * those. The loss is computed the way DL4J's output layer computes it (cross-entropy with DL4J's 1e-10
 * clip for classes, squared error for a target), so training and validation losses compare.
 *
 * <p>Serializable: it is shipped to executors inside validation and training-metric tasks.
 */
public final class Evaluator implements Serializable {
  private static final long serialVersionUID = 1L;
  /** DL4J's LossMCXENT clips softmax outputs at this value before taking the log. */
  private static final double SOFTMAX_CLIP = 1e-10;

  static final String LOSS = MetricSet.LOSS;
  static final String ACCURACY = "accuracy";
  static final String TOP_K = "top-k-accuracy";
  static final String CONFUSION = "confusion-matrix";
  static final String AUC = "auc";
  static final String REGRESSION = "regression";

  private final Task task;
  private final int classes;
  private final boolean loss;
  private final boolean accuracy;
  private final int topK;
  private final boolean confusion;
  private final int aucBins;
  private final double targetShift;
  private final double targetScale;
  /** Whether a minibatch's mask holds each example's weight ({@link #weighted()}) rather than 0 to leave it out. */
  private final boolean weighted;

  private Evaluator(
      Task task,
      int classes,
      boolean loss,
      boolean accuracy,
      int topK,
      boolean confusion,
      int aucBins,
      double targetShift,
      double targetScale,
      boolean weighted) {
    this.task = task;
    this.classes = classes;
    this.loss = loss;
    this.accuracy = accuracy;
    this.topK = topK;
    this.confusion = confusion;
    this.aucBins = aucBins;
    this.targetShift = targetShift;
    this.targetScale = targetScale;
    this.weighted = weighted;
  }

  /**
   * The evaluator of the metrics in {@code config}.
   *
   * @param classes number of classes, or 1 for a regression target
   * @param targetShift with {@code targetScale}, maps a regression output back to the target's units:
   *     {@code y = output * targetScale + targetShift}
   */
  public static Evaluator of(MetricsConfig config, Task task, int classes, double targetShift, double targetScale) {
    boolean isClass = task == Task.CLASSIFICATION;
    return new Evaluator(
        task,
        classes,
        true,
        isClass && config.wants(Metric.ACCURACY),
        isClass && config.wants(Metric.TOP_K_ACCURACY) ? config.topK() : 0,
        isClass && config.names().stream().anyMatch(m -> m.fromConfusionMatrix() || m == Metric.CONFUSION_MATRIX),
        isClass && (config.wants(Metric.AUC) || config.wants(Metric.AUC_PR)) ? config.aucBins() : 0,
        targetShift,
        targetScale,
        false);
  }

  /** The same metrics without the loss: for training, where DL4J's own score gives the loss. */
  public Evaluator withoutLoss() {
    return new Evaluator(task, classes, false, accuracy, topK, confusion, aucBins, targetShift, targetScale, weighted);
  }

  /**
   * The same metrics over weighted examples ({@code data.weight-column}): a minibatch's mask holds each
   * example's weight (finite, {@code >= 0}), as DL4J's per-example loss weighting reads it, and every
   * state sums weights exactly instead of counting (an example of weight 0 adds nothing but its count).
   */
  public Evaluator weighted() {
    return new Evaluator(task, classes, loss, accuracy, topK, confusion, aucBins, targetShift, targetScale, true);
  }

  /** Whether this evaluator reads a minibatch's mask as the examples' weights ({@link #weighted()}). */
  public boolean isWeighted() {
    return weighted;
  }

  /**
   * Evaluates a minibatch of {@code rows} examples, given row by row ({@code io.sparkfit.nd4j.NetworkOutputs}
   * reads them from ND4J arrays).
   *
   * @param predictions the network's outputs: class probabilities, or the predicted target
   * @param labels one-hot rows for classes, or the target as the network sees it
   * @param mask one value per example, 0 to leave it out; null for none. For a {@link #weighted()}
   *     evaluator, each example's weight (null: all weigh 1)
   */
  public MetricSet evaluate(float[] predictions, float[] labels, int rows, float[] mask) {
    if (rows == 0) {
      return MetricSet.empty();
    }
    if (weighted) {
      float[] w = mask;
      if (w == null) {
        w = new float[rows];
        java.util.Arrays.fill(w, 1f);
      }
      int k = predictions.length / rows;
      return task == Task.CLASSIFICATION ? weightedClassification(rows, k, predictions, labels, w) : weightedRegression(rows, predictions, labels, w);
    }
    int columns = predictions.length / rows;
    int yColumns = labels.length / rows;
    float[] p = predictions;
    float[] y = labels;
    int n = rows;
    if (mask != null) {
      p = predictions.clone();
      y = labels.clone();
      int kept = 0;
      for (int i = 0; i < rows; i++) {
        if (mask[i] != 0) {
          System.arraycopy(p, i * columns, p, kept * columns, columns);
          System.arraycopy(y, i * yColumns, y, kept * yColumns, yColumns);
          kept++;
        }
      }
      n = kept;
    }
    if (n == 0) {
      return MetricSet.empty();
    }
    return task == Task.CLASSIFICATION ? classification(n, columns, p, y) : regression(n, p, y);
  }

  private MetricSet classification(int n, int k, float[] p, float[] y) {
    double lossSum = 0;
    long correct = 0;
    long inTopK = 0;
    int[] actual = new int[n];
    int[] predicted = new int[n];
    AucState auc = aucBins > 0 ? AucState.empty(classes, aucBins) : null;
    for (int i = 0; i < n; i++) {
      int row = i * k;
      actual[i] = argMax(y, row, k);
      predicted[i] = argMax(p, row, k);
      if (predicted[i] == actual[i]) {
        correct++;
      }
      lossSum -= Math.log(Math.max(p[row + actual[i]], SOFTMAX_CLIP));
      if (topK > 0 && rank(p, row, k, actual[i]) < topK) {
        inTopK++;
      }
      if (auc != null) {
        auc.add(p, row, actual[i]);
      }
    }
    MetricSet set = MetricSet.empty();
    if (loss) {
      set = set.with(LOSS, new LossState(lossSum, n));
    }
    if (accuracy) {
      set = set.with(ACCURACY, new AccuracyState(1, correct, n));
    }
    if (topK > 0) {
      set = set.with(TOP_K, new AccuracyState(topK, inTopK, n));
    }
    if (confusion) {
      set = set.with(CONFUSION, ConfusionMatrixState.of(classes, actual, predicted));
    }
    if (auc != null) {
      set = set.with(AUC, auc);
    }
    return set;
  }

  private MetricSet regression(int n, float[] p, float[] y) {
    double sumY = 0;
    double sumY2 = 0;
    double sumE2 = 0;
    double sumAbs = 0;
    for (int i = 0; i < n; i++) {
      double target = y[i] * targetScale + targetShift;
      double error = (p[i] * targetScale + targetShift) - target;
      sumY += target;
      sumY2 += target * target;
      sumE2 += error * error;
      sumAbs += Math.abs(error);
    }
    MetricSet set = MetricSet.of(REGRESSION, new RegressionState(n, sumY, sumY2, sumE2, sumAbs));
    return loss ? set.with(LOSS, new LossState(sumE2, n)) : set;
  }

  private MetricSet weightedClassification(int n, int k, float[] p, float[] y, float[] w) {
    io.sparkfit.features.ExactSum lossSum = new io.sparkfit.features.ExactSum();
    io.sparkfit.features.ExactSum weights = new io.sparkfit.features.ExactSum();
    io.sparkfit.features.ExactSum correct = new io.sparkfit.features.ExactSum();
    io.sparkfit.features.ExactSum inTopK = new io.sparkfit.features.ExactSum();
    int[] actual = new int[n];
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) {
      int row = i * k;
      actual[i] = argMax(y, row, k);
      predicted[i] = argMax(p, row, k);
      weights.add(w[i]);
      if (predicted[i] == actual[i]) {
        correct.add(w[i]);
      }
      lossSum.add(-w[i] * Math.log(Math.max(p[row + actual[i]], SOFTMAX_CLIP)));
      if (topK > 0 && rank(p, row, k, actual[i]) < topK) {
        inTopK.add(w[i]);
      }
    }
    MetricSet set = MetricSet.empty();
    if (loss) {
      set = set.with(LOSS, new WeightedLossState(lossSum, weights.copy(), n));
    }
    if (accuracy) {
      set = set.with(ACCURACY, new WeightedAccuracyState(1, correct, weights.copy(), n));
    }
    if (topK > 0) {
      set = set.with(TOP_K, new WeightedAccuracyState(topK, inTopK, weights.copy(), n));
    }
    if (confusion) {
      set = set.with(CONFUSION, WeightedConfusionMatrixState.of(classes, actual, predicted, w, n));
    }
    if (aucBins > 0) {
      set = set.with(AUC, WeightedAucState.of(classes, aucBins, p, k, actual, w, n));
    }
    return set;
  }

  private MetricSet weightedRegression(int n, float[] p, float[] y, float[] w) {
    double[] targets = new double[n];
    double[] errors = new double[n];
    io.sparkfit.features.ExactSum squares = new io.sparkfit.features.ExactSum();
    io.sparkfit.features.ExactSum weights = new io.sparkfit.features.ExactSum();
    for (int i = 0; i < n; i++) {
      targets[i] = y[i] * targetScale + targetShift;
      errors[i] = (p[i] * targetScale + targetShift) - targets[i];
      squares.add(w[i] * errors[i] * errors[i]);
      weights.add(w[i]);
    }
    MetricSet set = MetricSet.of(REGRESSION, WeightedRegressionState.of(n, w, targets, errors));
    return loss ? set.with(LOSS, new WeightedLossState(squares, weights, n)) : set;
  }

  /** The index of the largest of {@code k} values from {@code offset} (the first of equal ones): the predicted class. */
  public static int argMax(float[] values, int offset, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (values[offset + j] > values[offset + best]) {
        best = j;
      }
    }
    return best;
  }

  /** How many of the {@code k} classes from {@code offset} score strictly higher than {@code c}. */
  private static int rank(float[] values, int offset, int k, int c) {
    int higher = 0;
    for (int j = 0; j < k; j++) {
      if (values[offset + j] > values[offset + c]) {
        higher++;
      }
    }
    return higher;
  }
}

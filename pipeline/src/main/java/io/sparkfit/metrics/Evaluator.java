package io.sparkfit.metrics;

import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.Task;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

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

  private Evaluator(
      Task task, int classes, boolean loss, boolean accuracy, int topK, boolean confusion, int aucBins, double targetShift, double targetScale) {
    this.task = task;
    this.classes = classes;
    this.loss = loss;
    this.accuracy = accuracy;
    this.topK = topK;
    this.confusion = confusion;
    this.aucBins = aucBins;
    this.targetShift = targetShift;
    this.targetScale = targetScale;
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
        isClass && config.wants("accuracy"),
        isClass && config.wants(TOP_K) ? config.topK() : 0,
        isClass && config.names().stream().anyMatch(MetricResults::needsConfusionMatrix),
        isClass && (config.wants("auc") || config.wants("auc-pr")) ? config.aucBins() : 0,
        targetShift,
        targetScale);
  }

  /** The same metrics without the loss: for training, where DL4J's own score gives the loss. */
  public Evaluator withoutLoss() {
    return new Evaluator(task, classes, false, accuracy, topK, confusion, aucBins, targetShift, targetScale);
  }

  /**
   * Evaluates a minibatch.
   *
   * @param predictions the network's outputs: class probabilities, or the predicted target
   * @param labels one-hot rows for classes, or the target as the network sees it
   */
  public MetricSet evaluate(INDArray predictions, INDArray labels) {
    float[][] p = predictions.toFloatMatrix();
    float[][] y = labels.toFloatMatrix();
    return task == Task.CLASSIFICATION ? classification(p, y) : regression(p, y);
  }

  private MetricSet classification(float[][] p, float[][] y) {
    int n = p.length;
    double lossSum = 0;
    long correct = 0;
    long inTopK = 0;
    int[] actual = new int[n];
    int[] predicted = new int[n];
    AucState auc = aucBins > 0 ? AucState.empty(classes, aucBins) : null;
    for (int i = 0; i < n; i++) {
      actual[i] = argMax(y[i]);
      predicted[i] = argMax(p[i]);
      if (predicted[i] == actual[i]) {
        correct++;
      }
      lossSum -= Math.log(Math.max(p[i][actual[i]], SOFTMAX_CLIP));
      if (topK > 0 && rank(p[i], actual[i]) < topK) {
        inTopK++;
      }
      if (auc != null) {
        auc.add(p[i], actual[i]);
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

  private MetricSet regression(float[][] p, float[][] y) {
    double sumY = 0;
    double sumY2 = 0;
    double sumE2 = 0;
    double sumAbs = 0;
    for (int i = 0; i < p.length; i++) {
      double target = y[i][0] * targetScale + targetShift;
      double error = (p[i][0] * targetScale + targetShift) - target;
      sumY += target;
      sumY2 += target * target;
      sumE2 += error * error;
      sumAbs += Math.abs(error);
    }
    MetricSet set = MetricSet.of(REGRESSION, new RegressionState(p.length, sumY, sumY2, sumE2, sumAbs));
    return loss ? set.with(LOSS, new LossState(sumE2, p.length)) : set;
  }

  static int argMax(float[] row) {
    int best = 0;
    for (int j = 1; j < row.length; j++) {
      if (row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }

  /** How many classes score strictly higher than {@code c}: 0 for the top class. */
  private static int rank(float[] row, int c) {
    int higher = 0;
    for (float v : row) {
      if (v > row[c]) {
        higher++;
      }
    }
    return higher;
  }
}

package io.sparkfit.metrics;

import io.sparkfit.config.Task;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns one minibatch of network outputs and labels into metric states. The loss is computed the way
 * DL4J's output layer computes it (cross-entropy with DL4J's 1e-10 clip for classes, squared error for a
 * target), so training and validation losses are comparable.
 */
public final class Evaluator implements Serializable {
  private static final long serialVersionUID = 1L;
  /** DL4J's LossMCXENT clips softmax outputs at this value before taking the log. */
  private static final double SOFTMAX_CLIP = 1e-10;

  private final Task task;
  private final double targetShift;
  private final double targetScale;

  /**
   * @param targetShift with {@code targetScale}, maps a regression output back to the target's units:
   *     {@code y = output * targetScale + targetShift}
   */
  public Evaluator(Task task, double targetShift, double targetScale) {
    this.task = task;
    this.targetShift = targetShift;
    this.targetScale = targetScale;
  }

  /**
   * Evaluates a minibatch.
   *
   * @param predictions the network's outputs: class probabilities, or the predicted target
   * @param labels one-hot rows for classes, or the target
   */
  public MetricSet evaluate(INDArray predictions, INDArray labels) {
    float[][] p = predictions.toFloatMatrix();
    float[][] y = labels.toFloatMatrix();
    return task == Task.CLASSIFICATION ? classification(p, y) : regression(p, y, targetShift, targetScale);
  }

  private static MetricSet classification(float[][] p, float[][] y) {
    double loss = 0;
    long correct = 0;
    for (int i = 0; i < p.length; i++) {
      int predicted = argMax(p[i]);
      int actual = argMax(y[i]);
      if (predicted == actual) {
        correct++;
      }
      loss -= Math.log(Math.max(p[i][actual], SOFTMAX_CLIP));
    }
    return MetricSet.of(LossState.NAME, new LossState(loss, p.length))
        .with(AccuracyState.NAME, new AccuracyState(correct, p.length));
  }

  private static MetricSet regression(float[][] p, float[][] y, double shift, double scale) {
    double sumY = 0;
    double sumY2 = 0;
    double sumE2 = 0;
    double sumAbs = 0;
    for (int i = 0; i < p.length; i++) {
      double target = y[i][0] * scale + shift;
      double error = (p[i][0] * scale + shift) - target;
      sumY += target;
      sumY2 += target * target;
      sumE2 += error * error;
      sumAbs += Math.abs(error);
    }
    return MetricSet.of(LossState.NAME, new LossState(sumE2, p.length))
        .with("regression", new RegressionState(p.length, sumY, sumY2, sumE2, sumAbs));
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
}

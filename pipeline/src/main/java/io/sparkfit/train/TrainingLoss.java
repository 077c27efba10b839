package io.sparkfit.train;

import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.WeightedLossState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training loss of one fitted minibatch, as a mergeable state. DL4J's score (less regularisation)
 * is the minibatch's loss summed over its examples, each multiplied by its labels mask, divided by
 * its examples: with {@code data.weight-column} the mask holds the weights, so the score times the
 * examples is {@code Σ w·loss} and the state keeps {@code Σ w} beside it; the epoch's training loss
 * is then the weighted mean {@code Σ w·loss / Σ w}, as the validation and evaluate losses are. Without
 * a mask it is the plain mean.
 */
final class TrainingLoss {
  private TrainingLoss() {}

  /** No weights: a minibatch without a labels mask. */
  static final double UNWEIGHTED = Double.NaN;

  /**
   * The sum of a minibatch's weights, {@link #UNWEIGHTED} without a labels mask. Read before the
   * minibatch is fitted: fitting leaves the mask array to the network, which reuses its memory.
   */
  static double weights(INDArray labelsMask) {
    return labelsMask == null ? UNWEIGHTED : labelsMask.castTo(DataType.DOUBLE).sumNumber().doubleValue();
  }

  /**
   * @param meanLoss DL4J's score of the minibatch less its regularisation term ({@code Network.dataLoss})
   * @param examples the minibatch's examples
   * @param weights the minibatch's {@link #weights}, read before it was fitted
   */
  static MetricSet of(double meanLoss, long examples, double weights) {
    if (Double.isNaN(weights)) {
      return MetricSet.of(MetricSet.LOSS, LossState.ofMean(meanLoss, examples));
    }
    return MetricSet.of(MetricSet.LOSS, WeightedLossState.of(meanLoss * examples, weights, examples));
  }
}

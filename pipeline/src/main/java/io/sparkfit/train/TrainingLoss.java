package io.sparkfit.train;

import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.WeightedLossState;
import java.util.OptionalDouble;
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

  /**
   * The sum of a minibatch's weights, empty without a labels mask. Read before the minibatch is
   * fitted: fitting leaves the mask array to the network, which reuses its memory.
   */
  static OptionalDouble weights(INDArray labelsMask) {
    return labelsMask == null ? OptionalDouble.empty() : OptionalDouble.of(labelsMask.castTo(DataType.DOUBLE).sumNumber().doubleValue());
  }

  /**
   * @param meanLoss DL4J's score of the minibatch less its regularisation term ({@code Network.dataLoss})
   * @param examples the minibatch's examples
   * @param weights the minibatch's {@link #weights}, read before it was fitted
   */
  static MetricSet of(double meanLoss, long examples, OptionalDouble weights) {
    return MetricSet.of(
        MetricSet.LOSS,
        weights.isPresent()
            ? WeightedLossState.of(meanLoss * examples, weights.getAsDouble(), examples)
            : LossState.ofMean(meanLoss, examples));
  }
}

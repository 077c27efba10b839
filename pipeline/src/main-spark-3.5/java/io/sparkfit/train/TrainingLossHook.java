package io.sparkfit.train;

import io.sparkfit.metrics.spark.MetricsAccumulator;
import io.sparkfit.model.Network;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Tallies the training loss on the workers from the training forward pass itself: after each fitted
 * minibatch, as {@link Network#dataLoss} reads DL4J's score, weighted by the minibatch's size (and
 * its examples' weights, {@link TrainingLoss}), so the epoch's loss is the exact mean over every
 * example fitted.
 */
final class TrainingLossHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private final MetricsAccumulator accumulator;
  private transient double regularisationBeforeUpdate;
  private transient OptionalDouble weights;

  TrainingLossHook(MetricsAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    regularisationBeforeUpdate = ((MultiLayerNetwork) model).calcRegularizationScore(true);
    weights = TrainingLoss.weights(minibatch.getLabelsMaskArray());
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    double loss = Network.dataLoss(model.score(), regularisationBeforeUpdate);
    accumulator.add(TrainingLoss.of(loss, minibatch.numExamples(), weights));
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    throw new UnsupportedOperationException("Sparkfit trains MultiLayerNetworks on DataSets only");
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    throw new UnsupportedOperationException("Sparkfit trains MultiLayerNetworks on DataSets only");
  }
}

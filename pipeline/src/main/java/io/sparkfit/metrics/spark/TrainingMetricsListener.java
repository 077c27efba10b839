package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.nd4j.NetworkOutputs;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.model.LossLayerOutput;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tallies training metrics on the executors from the training forward pass, without a second pass
 * through the network: after DL4J has computed a minibatch's gradients (and before it updates the
 * parameters), the output layer still holds its input from that forward pass. Only the output layer
 * is applied again, to turn that input into class probabilities, which the {@link Evaluator} scores
 * against the minibatch's labels.
 *
 * <p>A task's minibatches are merged locally and reach the accumulator once, when the task ends.
 */
final class TrainingMetricsListener extends BaseTrainingListener implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Evaluator evaluator;
  private final MetricsAccumulator accumulator;
  /** This task's tally so far; each task deserializes its own copy of the listener. */
  private transient MetricSet pending;

  TrainingMetricsListener(Evaluator evaluator, MetricsAccumulator accumulator) {
    this.evaluator = evaluator;
    this.accumulator = accumulator;
  }

  @Override
  public void onBackwardPass(Model model) {
    Layer output =
        model instanceof MultiLayerNetwork stack ? stack.getOutputLayer() : ((ComputationGraph) model).getOutputLayer(0);
    INDArray labels = ((IOutputLayer) output).getLabels();
    // The labels mask DL4J set on the output layer for this fit holds the rows' weights, which a weighted
    // evaluator reads; the layer's activations would be multiplied by it, so they are taken without it.
    INDArray mask = output.getMaskArray();
    INDArray predictions;
    try {
      output.setMaskArray(null);
      predictions = output.activate(false, LayerWorkspaceMgr.noWorkspaces());
    } finally {
      output.setMaskArray(mask);
    }
    MetricSet batch =
        NetworkOutputs.evaluate(evaluator, predictions, labels, evaluator.isWeighted() ? LossLayerOutput.weightsOfFitMask(mask, labels) : null);
    TaskContext task = TaskContext.get();
    if (task == null) {
      accumulator.add(batch);
      return;
    }
    if (pending == null) {
      pending = MetricSet.empty();
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener)
              context -> {
                // Spark drops a failed task's accumulator updates, so this need not check.
                accumulator.add(pending);
                pending = null;
              });
    }
    pending = pending.merge(batch);
  }
}

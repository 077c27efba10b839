package io.sparkfit.model;

import io.sparkfit.config.Task;
import io.sparkfit.data.FeatureSpec;
import io.sparkfit.data.LabelColumn;
import io.sparkfit.data.LabelIndex;
import io.sparkfit.data.ModelInputs;
import io.sparkfit.data.Normalizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network with everything needed to score new data: the features it takes, how they are
 * scaled, the label column and how the network's outputs map back to its values, and whether rows
 * with invalid features were dropped ({@code data.drop-invalid}) in training, which scoring follows.
 */
public record TrainedModel(
    MultiLayerNetwork network,
    Task task,
    FeatureSpec featureSpec,
    LabelColumn labelColumn,
    LabelIndex labelIndex,
    Normalizer normalizer,
    boolean dropInvalid) {

  /** What the model reads from a table. */
  public ModelInputs inputs() {
    return new ModelInputs(task, featureSpec, labelColumn, labelIndex, normalizer);
  }

  /** The number of network outputs: one per class, or one for regression. */
  public int outputs() {
    return inputs().outputs();
  }
}

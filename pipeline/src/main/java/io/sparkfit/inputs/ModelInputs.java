package io.sparkfit.inputs;

import io.sparkfit.config.Task;
import java.io.Serializable;

/**
 * What a trained model reads from a table, how its columns feed the network's inputs, and how it
 * maps its outputs back to label values; and the columns its metrics read beside the features (the
 * weight and the slices, {@link MetricColumns}).
 */
public record ModelInputs(
    Task task,
    FeatureSpec features,
    InputLayout layout,
    LabelColumn label,
    LabelIndex labelIndex,
    Normalizer normalizer,
    MetricColumns metricColumns)
    implements Serializable {

  /** The number of network outputs: one per class, or one for regression. */
  public int outputs() {
    return labelIndex.outputs();
  }
}

package io.sparkfit.model;

import io.sparkfit.config.Task;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.inputs.LabelColumn;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.inputs.Normalizer;
import java.util.Optional;

/**
 * A trained network with everything needed to score new data: the features it takes, which of the
 * network's inputs each feeds, how they are scaled, the label column and how the network's outputs map back to its values, and whether rows
 * with invalid features were dropped ({@code data.drop-invalid}) in training, which scoring follows;
 * and where it came from. A model still in training (a checkpoint) has no provenance yet, nor has
 * one saved by Sparkfit before provenance travelled inside {@code model.zip}.
 */
public record TrainedModel(Network network, ModelInputs inputs, boolean dropInvalid, Optional<Provenance> provenance) {

  public Task task() {
    return inputs.task();
  }

  public FeatureSpec featureSpec() {
    return inputs.features();
  }

  public InputLayout layout() {
    return inputs.layout();
  }

  public LabelColumn labelColumn() {
    return inputs.label();
  }

  public LabelIndex labelIndex() {
    return inputs.labelIndex();
  }

  public Normalizer normalizer() {
    return inputs.normalizer();
  }

  /** The number of network outputs: one per class, or one for regression. */
  public int outputs() {
    return inputs.outputs();
  }

  /** This model, finished: with where it came from. */
  public TrainedModel withProvenance(Provenance where) {
    return new TrainedModel(network, inputs, dropInvalid, Optional.of(where));
  }

  /** This model reading its features from {@code features} instead (the same width and layout). */
  public TrainedModel withFeatureSpec(FeatureSpec features) {
    ModelInputs i = inputs;
    return new TrainedModel(
        network, new ModelInputs(i.task(), features, i.layout(), i.label(), i.labelIndex(), i.normalizer(), i.metricColumns()), dropInvalid, provenance);
  }

  /** A copy with its own network, which later training of this one does not change. */
  public TrainedModel copy() {
    return new TrainedModel(network.copy(), inputs, dropInvalid, provenance);
  }
}

package io.sparkfit.model;

import io.sparkfit.config.Task;
import io.sparkfit.data.FeatureSpec;
import io.sparkfit.data.InputLayout;
import io.sparkfit.data.LabelColumn;
import io.sparkfit.data.LabelIndex;
import io.sparkfit.data.ModelInputs;
import io.sparkfit.data.Normalizer;
import java.util.Optional;

/**
 * A trained network with everything needed to score new data: the features it takes, which of the
 * network's inputs each feeds, how they are scaled, the label column and how the network's outputs map back to its values, and whether rows
 * with invalid features were dropped ({@code data.drop-invalid}) in training, which scoring follows;
 * and where it came from. A model still in training (a checkpoint) has no provenance yet, nor has
 * one saved by Sparkfit before provenance travelled inside {@code model.zip}.
 */
public record TrainedModel(
    Network network,
    Task task,
    FeatureSpec featureSpec,
    InputLayout layout,
    LabelColumn labelColumn,
    LabelIndex labelIndex,
    Normalizer normalizer,
    boolean dropInvalid,
    Optional<Provenance> provenance) {

  /** What the model reads from a table. */
  public ModelInputs inputs() {
    return new ModelInputs(task, featureSpec, layout, labelColumn, labelIndex, normalizer);
  }

  /** The number of network outputs: one per class, or one for regression. */
  public int outputs() {
    return inputs().outputs();
  }

  /** This model, finished: with where it came from. */
  public TrainedModel withProvenance(Provenance where) {
    return new TrainedModel(network, task, featureSpec, layout, labelColumn, labelIndex, normalizer, dropInvalid, Optional.of(where));
  }

  /** This model reading its features from {@code features} instead (the same width and layout). */
  public TrainedModel withFeatureSpec(FeatureSpec features) {
    return new TrainedModel(network, task, features, layout, labelColumn, labelIndex, normalizer, dropInvalid, provenance);
  }

  /** A copy with its own network, which later training of this one does not change. */
  public TrainedModel copy() {
    return new TrainedModel(network.copy(), task, featureSpec, layout, labelColumn, labelIndex, normalizer, dropInvalid, provenance);
  }
}

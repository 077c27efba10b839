package io.sparkfit.model;

import io.sparkfit.config.Task;
import io.sparkfit.data.FeatureSpec;
import io.sparkfit.data.LabelIndex;
import io.sparkfit.data.Normalizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network with everything needed to score new data: the features it takes, how they are
 * scaled, and how its outputs map back to label values.
 */
public record TrainedModel(
    MultiLayerNetwork network, Task task, FeatureSpec featureSpec, LabelIndex labelIndex, Normalizer normalizer) {}

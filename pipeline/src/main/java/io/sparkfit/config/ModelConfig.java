package io.sparkfit.config;

import java.util.List;
import java.util.Optional;

/**
 * The network: hidden layers, updater, L2 regularisation and the seed for weights, splits and dropout.
 *
 * @param initFrom {@code model.init-from}: a previous model (output directory or model.zip) whose
 *     parameters the network starts from, for warm-started retraining
 */
public record ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed, Optional<String> initFrom) {

  public ModelConfig {
    layers = List.copyOf(layers);
  }

  /** Starting from fresh weights. */
  public ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed) {
    this(layers, updater, l2, seed, Optional.empty());
  }
}

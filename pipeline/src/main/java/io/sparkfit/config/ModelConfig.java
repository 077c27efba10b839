package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * The network: hidden layers, updater, L2 regularisation and the seed for weights, splits and
 * dropout. Validates itself, layer by layer.
 *
 * @param initFrom {@code model.init-from}: a previous model (output directory or model.zip) whose
 *     parameters the network starts from, for warm-started retraining
 */
public record ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed, Optional<String> initFrom) {

  public ModelConfig {
    layers = List.copyOf(layers);
    boolean afterDense = false;
    for (int i = 0; i < layers.size(); i++) {
      String where = "model.layers[" + i + "]";
      LayerSpec layer = layers.get(i);
      layer.check(where);
      InvalidInputException.check(
          !(layer instanceof LayerSpec.BatchNorm) || afterDense, "Invalid %s: batch-norm must follow a dense layer", where);
      afterDense |= layer instanceof LayerSpec.Dense;
    }
    java.util.Objects.requireNonNull(updater, "updater");
    InvalidInputException.check(l2 >= 0 && Double.isFinite(l2), "Invalid model.l2: %s (must be >= 0)", l2);
    initFrom.ifPresent(path -> Checks.nonBlank(path, "model.init-from"));
  }

  /** Starting from fresh weights. */
  public ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed) {
    this(layers, updater, l2, seed, Optional.empty());
  }
}

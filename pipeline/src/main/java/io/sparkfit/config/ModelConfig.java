package io.sparkfit.config;

import java.util.List;

/** The network: hidden layers, updater, L2 regularisation and the seed for weights and splits. */
public record ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed) {

  public ModelConfig {
    layers = List.copyOf(layers);
  }
}

package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network: either built from {@code layers} (with an embedding per column in {@code embeddings}),
 * or the user's own DL4J configuration read from {@code dl4jConfiguration}; the updater, L2, weight
 * decay and gradient clipping of a built network; and the seed for weights, splits and dropout.
 * Validates itself, layer by layer.
 *
 * @param embeddings categorical columns that each get their own network input and embedding layer, with
 *     its number of dimensions; the other feature columns form one more input, and the inputs are merged
 *     before {@code layers}
 * @param weightDecay DL4J's weight decay coefficient (applied in the update, unlike {@code l2}); 0 for none
 * @param initFrom {@code model.init-from}: a previous model (output directory or model.zip) whose
 *     parameters the network starts from, for warm-started retraining
 * @param dl4jConfiguration {@code model.dl4j-configuration}: the path of a DL4J
 *     {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} JSON; when present,
 *     {@code layers} is empty and the updater and regularisation come from the JSON
 */
public record ModelConfig(
    List<LayerSpec> layers,
    Map<String, Integer> embeddings,
    UpdaterSpec updater,
    double l2,
    double weightDecay,
    GradientClipping gradientClipping,
    long seed,
    Optional<String> initFrom,
    Optional<String> dl4jConfiguration) {

  /** The layers that may follow model.embeddings, whose merged inputs are flat. */
  private static final java.util.Set<LayerSpec.Type> FLAT_LAYERS =
      java.util.EnumSet.of(LayerSpec.Type.DENSE, LayerSpec.Type.DROPOUT, LayerSpec.Type.BATCH_NORM);

  public ModelConfig {
    layers = List.copyOf(layers);
    embeddings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(embeddings));
    java.util.Objects.requireNonNull(updater, "updater");
    java.util.Objects.requireNonNull(gradientClipping, "gradientClipping");
    if (dl4jConfiguration.isPresent()) {
      Checks.nonBlank(dl4jConfiguration.get(), "model.dl4j-configuration");
      InvalidInputException.check(
          layers.isEmpty() && embeddings.isEmpty(),
          "Invalid config: model.dl4j-configuration (%s) and model.%s both describe the network; give one",
          dl4jConfiguration.get(),
          layers.isEmpty() ? "embeddings" : "layers");
    } else {
      checkLayers(layers, !embeddings.isEmpty());
    }
    for (Map.Entry<String, Integer> e : embeddings.entrySet()) {
      InvalidInputException.check(
          e.getValue() != null && e.getValue() > 0 && e.getValue() <= Limits.MAX_EMBEDDING_DIMENSIONS,
          "Invalid model.embeddings.\"%s\": %s (must be the number of dimensions, in [1, 10000])",
          e.getKey(),
          e.getValue());
    }
    InvalidInputException.check(l2 >= 0 && Double.isFinite(l2), "Invalid model.l2: %s (must be >= 0)", l2);
    Checks.atMost(l2, Limits.MAX_REGULARIZATION, "model.l2");
    InvalidInputException.check(
        weightDecay >= 0 && Double.isFinite(weightDecay), "Invalid model.weight-decay: %s (must be >= 0)", weightDecay);
    Checks.atMost(weightDecay, Limits.MAX_REGULARIZATION, "model.weight-decay");
    initFrom.ifPresent(path -> Checks.nonBlank(path, "model.init-from"));
  }

  /** The same model with {@code model.updater.learning-rate} times {@code factor}. */
  public ModelConfig withLearningRateTimes(double factor) {
    return new ModelConfig(
        layers, embeddings, updater.withLearningRateTimes(factor), l2, weightDecay, gradientClipping, seed, initFrom, dl4jConfiguration);
  }

  /** Layers from config, no embeddings, clipping or weight decay. */
  public ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed, Optional<String> initFrom) {
    this(layers, Map.of(), updater, l2, 0.0, GradientClipping.none(), seed, initFrom, Optional.empty());
  }

  /** Starting from fresh weights. */
  public ModelConfig(List<LayerSpec> layers, UpdaterSpec updater, double l2, long seed) {
    this(layers, updater, l2, seed, Optional.empty());
  }

  /**
   * Layers follow the input's kind: convolution and pooling over an image, LSTMs over a sequence, then
   * dense layers; batch normalisation after a dense or convolution layer. With embeddings, the merged
   * inputs are flat, so only dense, dropout and batch-norm layers follow.
   */
  private static void checkLayers(List<LayerSpec> layers, boolean embedded) {
    boolean afterNormalisable = false;
    for (int i = 0; i < layers.size(); i++) {
      String where = "model.layers[" + i + "]";
      LayerSpec layer = layers.get(i);
      layer.check(where);
      InvalidInputException.check(
          layer.type() != LayerSpec.Type.BATCH_NORM || afterNormalisable,
          "Invalid %s: batch-norm must follow a dense or conv2d layer",
          where);
      InvalidInputException.check(
          !embedded || FLAT_LAYERS.contains(layer.type()),
          "Invalid %s: %s after model.embeddings (the merged inputs are flat: use dense, dropout or batch-norm layers)",
          where,
          layer.type().key());
      afterNormalisable = layer.type() == LayerSpec.Type.DENSE || layer.type() == LayerSpec.Type.CONV2D;
    }
  }
}

package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * Gradient clipping or normalisation ({@code model.gradient-clipping}), applied by DL4J before each
 * update. Validates itself.
 *
 * @param threshold the largest absolute value ({@code clip-value}) or L2 norm ({@code clip-l2-*});
 *     unused by {@code none} and the {@code renormalize-*} types
 */
public record GradientClipping(Type type, double threshold) {

  /** DL4J's gradient normalisations, by their config names. */
  public enum Type {
    NONE,
    CLIP_VALUE,
    CLIP_L2_PER_LAYER,
    CLIP_L2_PER_PARAM_TYPE,
    RENORMALIZE_L2_PER_LAYER,
    RENORMALIZE_L2_PER_PARAM_TYPE
  }

  public GradientClipping {
    java.util.Objects.requireNonNull(type, "type");
    InvalidInputException.check(
        threshold > 0 && Double.isFinite(threshold), "Invalid model.gradient-clipping.threshold: %s (must be > 0)", threshold);
    Checks.atMost(threshold, Limits.MAX_CLIPPING_THRESHOLD, "model.gradient-clipping.threshold");
  }

  /** No clipping. */
  public static GradientClipping none() {
    return new GradientClipping(Type.NONE, 1.0);
  }
}

package io.sparkfit.inputs;

import io.sparkfit.config.Normalization;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Input scaling fitted on the training rows ({@link FeatureFit}): {@code x' = (x - shift) / scale} per
 * network input. Numeric and array inputs are scaled as {@code data.normalize} says; one-hot and
 * missing-indicator inputs keep shift 0 and scale 1. Saved as JSON with the model and applied again when scoring.
 *
 * <p>A regression target is standardised the same way whatever {@code kind} says ({@code y' = (y -
 * targetShift) / targetScale}): networks fit unit-scale targets far better than raw prices or counts.
 * Predictions and reported errors are mapped back to the target's own units. For classification the
 * target scaling is the identity.
 *
 * <p>A feature that is constant in the training data gets scale 1, so it maps to 0 rather than NaN.
 */
public record Normalizer(Normalization kind, double[] shift, double[] scale, double targetShift, double targetScale)
    implements Serializable {

  public Normalizer {
    if (shift.length != scale.length) {
      throw new IllegalArgumentException(
          "Invalid normalizer: " + shift.length + " shifts for " + scale.length + " scales");
    }
    shift = shift.clone();
    scale = scale.clone();
  }

  /** The identity scaling for {@code width} features. */
  public static Normalizer none(int width) {
    double[] ones = new double[width];
    Arrays.fill(ones, 1.0);
    return new Normalizer(Normalization.NONE, new double[width], ones, 0, 1);
  }

  /** The target as the network sees it. */
  public double scaleTarget(double target) {
    return (target - targetShift) / targetScale;
  }

  /** A network output in the target's own units. */
  public double unscaleTarget(double output) {
    return output * targetScale + targetShift;
  }

  /** Squared errors in the network's units times this are squared errors in the target's units. */
  public double squaredErrorScale() {
    return targetScale * targetScale;
  }

  public int width() {
    return shift.length;
  }

  /** Scales {@code features} in place into {@code out} at {@code offset}, as floats for ND4J. */
  public void apply(double[] features, float[] out, int offset) {
    for (int i = 0; i < shift.length; i++) {
      out[offset + i] = (float) ((features[i] - shift[i]) / scale[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalizer other
        && kind == other.kind
        && Arrays.equals(shift, other.shift)
        && Arrays.equals(scale, other.scale)
        && targetShift == other.targetShift
        && targetScale == other.targetScale;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * kind.hashCode() + Arrays.hashCode(shift)) + Arrays.hashCode(scale))
        + Double.hashCode(targetShift) * 7 + Double.hashCode(targetScale);
  }

  @Override
  public String toString() {
    return "Normalizer[" + kind + ", width=" + shift.length + "]";
  }
}

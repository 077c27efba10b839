package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code training.class-weights}: how much each class counts in the loss. DL4J's weighted
 * cross-entropy does the weighting; the resolved weights are recorded in provenance.
 */
public sealed interface ClassWeights extends Serializable {

  /** Every class counts the same. */
  record None() implements ClassWeights {
    @Override
    public String toString() {
      return "none";
    }
  }

  /** Each class weighs {@code rows / (classes * rows of the class)}, as scikit-learn's "balanced". */
  record Balanced() implements ClassWeights {
    @Override
    public String toString() {
      return "balanced";
    }
  }

  /**
   * Given weights by class value (as written in the label column); classes not named weigh 1.
   * Validates itself: weights are finite and positive.
   */
  record Given(Map<String, Double> weights) implements ClassWeights {
    public Given {
      InvalidInputException.check(!weights.isEmpty(), "Invalid training.class-weights: {} (name at least one class)");
      weights.forEach(
          (label, w) -> InvalidInputException.check(
              Double.isFinite(w) && w > 0, "Invalid training.class-weights.\"%s\": %s (must be > 0)", label, w));
      weights = java.util.Collections.unmodifiableMap(new TreeMap<>(weights));
    }

    @Override
    public String toString() {
      return weights.toString();
    }
  }

  static ClassWeights none() {
    return new None();
  }

  static ClassWeights balanced() {
    return new Balanced();
  }
}

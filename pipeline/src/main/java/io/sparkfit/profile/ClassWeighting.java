package io.sparkfit.profile;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ClassWeights;
import io.sparkfit.inputs.LabelIndex;
import java.util.Map;
import java.util.Optional;

/** Resolves {@code training.class-weights} against the classes and their counts in the training rows. */
public final class ClassWeighting {

  private ClassWeighting() {}

  public static Optional<double[]> resolve(ClassWeights weights, LabelIndex labels, Map<Object, Long> counts, String labelColumn) {
    if (weights instanceof ClassWeights.None) {
      return Optional.empty();
    }
    int k = labels.size();
    double[] resolved = new double[k];
    if (weights instanceof ClassWeights.Balanced) {
      long n = counts.values().stream().mapToLong(Long::longValue).sum();
      for (int c = 0; c < k; c++) {
        long nc = counts.getOrDefault(labels.valueAt(c), 0L);
        // A class seen only in validation rows has no training rows to weigh: it keeps weight 1.
        resolved[c] = nc == 0 ? 1.0 : (double) n / (k * (double) nc);
      }
      return Optional.of(resolved);
    }
    java.util.Arrays.fill(resolved, 1.0);
    for (Map.Entry<String, Double> e : ((ClassWeights.Given) weights).weights().entrySet()) {
      int c = position(labels, e.getKey());
      InvalidInputException.check(
          c >= 0,
          "training.class-weights names class '%s', which label column '%s' does not have; its classes are %s",
          e.getKey(),
          labelColumn,
          labels.values());
      resolved[c] = e.getValue();
    }
    return Optional.of(resolved);
  }

  /** The class a config key names: by its text, or for numeric labels by its value ("1" names 1.0). */
  private static int position(LabelIndex labels, String key) {
    for (int c = 0; c < labels.size(); c++) {
      Object value = labels.valueAt(c);
      if (String.valueOf(value).equals(key)) {
        return c;
      }
      if (value instanceof Number number) {
        try {
          if (Double.parseDouble(key) == number.doubleValue()) {
            return c;
          }
        } catch (NumberFormatException e) {
          // not a number: names no numeric class
        }
      }
    }
    return -1;
  }
}

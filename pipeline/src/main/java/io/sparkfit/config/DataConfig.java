package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the data is and how to read it. Validates itself.
 *
 * @param train Parquet file or directory with the training rows; a local path or any Hadoop FS URI
 * @param validation Parquet with validation rows; when absent, {@code validationFraction} of the
 *     training rows are split off with the model seed
 * @param validationFraction share of training rows held out when {@code validation} is absent; 0 for none
 * @param features numeric columns, or a single array or Spark ML vector column
 * @param label the label (classification) or target (regression) column
 * @param dropInvalid drop rows with null or NaN values (and log how many) instead of failing
 */
public record DataConfig(
    String train,
    Optional<String> validation,
    double validationFraction,
    List<String> features,
    String label,
    Task task,
    Normalization normalize,
    boolean dropInvalid) {

  public DataConfig {
    features = List.copyOf(features);
    Checks.nonBlank(train, "data.train");
    validation.ifPresent(v -> Checks.nonBlank(v, "data.validation"));
    InvalidInputException.check(
        validationFraction >= 0 && validationFraction < 1,
        "Invalid data.validation-fraction: %s (must be in [0, 1))",
        validationFraction);
    InvalidInputException.check(!features.isEmpty(), "Invalid data.features: [] (must name at least one column)");
    Set<String> seen = new HashSet<>();
    for (String f : features) {
      InvalidInputException.check(!f.isBlank(), "Invalid data.features: %s (blank column name)", features);
      InvalidInputException.check(seen.add(f), "Invalid data.features: %s (column '%s' listed twice)", features, f);
    }
    Checks.nonBlank(label, "data.label");
    InvalidInputException.check(
        !features.contains(label), "Invalid config: data.label '%s' is also listed in data.features %s", label, features);
    java.util.Objects.requireNonNull(task, "task");
    java.util.Objects.requireNonNull(normalize, "normalize");
  }
}

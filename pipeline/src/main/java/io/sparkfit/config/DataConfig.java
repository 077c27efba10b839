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
 * @param features the feature columns, in input order: numeric, categorical, fixed-length array and
 *     Spark ML vector columns, in any mix
 * @param label the label (classification) or target (regression) column
 * @param dropInvalid drop rows with null or NaN values (and log how many) instead of failing
 * @param weightColumn {@code data.weight-column}: a numeric column whose value weighs each row in the
 *     training loss and in every metric; empty for equal weights. Neither a feature nor the label.
 */
public record DataConfig(
    String train,
    Optional<String> validation,
    double validationFraction,
    List<FeatureColumn> features,
    String label,
    Task task,
    Normalization normalize,
    boolean dropInvalid,
    Optional<String> weightColumn) {

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
    for (FeatureColumn f : features) {
      InvalidInputException.check(
          seen.add(f.column()), "Invalid data.features: %s (column '%s' listed twice)", names(features), f.column());
    }
    Checks.nonBlank(label, "data.label");
    InvalidInputException.check(
        !seen.contains(label), "Invalid config: data.label '%s' is also listed in data.features %s", label, names(features));
    java.util.Objects.requireNonNull(weightColumn, "weightColumn");
    if (weightColumn.isPresent()) {
      String w = weightColumn.get();
      Checks.nonBlank(w, "data.weight-column");
      InvalidInputException.check(
          !seen.contains(w), "Invalid config: data.weight-column '%s' is also listed in data.features %s", w, names(features));
      InvalidInputException.check(!w.equals(label), "Invalid config: data.weight-column '%s' is also data.label", w);
    }
    java.util.Objects.requireNonNull(task, "task");
    java.util.Objects.requireNonNull(normalize, "normalize");
  }

  /** The feature column names, in order. */
  public List<String> featureNames() {
    return names(features);
  }

  private static List<String> names(List<FeatureColumn> features) {
    return features.stream().map(FeatureColumn::column).toList();
  }
}

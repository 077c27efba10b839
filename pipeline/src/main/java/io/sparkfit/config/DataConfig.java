package io.sparkfit.config;

import java.util.List;
import java.util.Optional;

/**
 * Where the data is and how to read it.
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
  }
}

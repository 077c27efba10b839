package io.sparkfit.data;

/** How the features sit in the input rows. */
public enum FeatureLayout {
  /** One or more numeric columns, one feature each. */
  COLUMNS,
  /** A single {@code array<float>} or {@code array<double>} column. */
  ARRAY,
  /** A single Spark ML vector column. */
  VECTOR
}

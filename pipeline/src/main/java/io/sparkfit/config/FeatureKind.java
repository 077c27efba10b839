package io.sparkfit.config;

/** What a feature column is, as configured: read from its type, or declared. */
public enum FeatureKind {
  /** From the column's type: numbers and booleans are numeric, strings categorical, arrays and vectors as they are. */
  AUTO,
  /** One input: the value (a boolean as 0 or 1). */
  NUMERIC,
  /** One-hot over a vocabulary learned from the training rows: strings, or whole numbers declared so. */
  CATEGORICAL,
  /** Cyclical parts and elapsed time: dates and timestamps, or strings read with a format. */
  DATETIME
}

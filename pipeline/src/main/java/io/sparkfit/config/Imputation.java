package io.sparkfit.config;

/** What a missing numeric value (null or NaN) becomes; learned on the training rows and saved with the model. */
public enum Imputation {
  /** The column's mean over the training rows that have a value. */
  MEAN,
  /** The column's median over the training rows that have a value (within 0.5%: a DDSketch). */
  MEDIAN,
  /** A configured constant. */
  CONSTANT,
  /** None: a row with a missing value is invalid (an error, or dropped with {@code data.drop-invalid}). */
  NONE
}

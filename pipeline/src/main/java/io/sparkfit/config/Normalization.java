package io.sparkfit.config;

/** How features are scaled; fitted on the training data and saved with the model. */
public enum Normalization {
  STANDARD,
  MIN_MAX,
  NONE
}

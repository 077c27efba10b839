package io.sparkfit.config;

/** What the model predicts: a class out of a label index, or a numeric target. */
public enum Task {
  CLASSIFICATION,
  REGRESSION
}

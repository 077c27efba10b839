package io.sparkfit.inputs;

/** What the label column holds; decides how label values map to the network's outputs. */
public enum LabelKind {
  /** Whole-number classes from an integer column. */
  INT_CLASS,
  /** Classes named by strings. */
  STRING_CLASS,
  /** Whole-number classes in a floating-point column, as Spark ML writes them: 0.0, 1.0, ... */
  DOUBLE_CLASS,
  /** Two classes from a boolean column: false and true. */
  BOOLEAN_CLASS,
  /** A numeric regression target. */
  TARGET;

  public boolean isClass() {
    return this != TARGET;
  }
}

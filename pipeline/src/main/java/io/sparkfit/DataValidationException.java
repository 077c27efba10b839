package io.sparkfit;

/**
 * Data that failed validation while the run was under way, typically inside a Spark task: exit code 3.
 */
public class DataValidationException extends SparkfitException {
  private static final long serialVersionUID = 1L;

  public DataValidationException(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return 3;
  }
}

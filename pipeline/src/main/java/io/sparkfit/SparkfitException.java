package io.sparkfit;

/**
 * A failure that Sparkfit can explain in one line, with the process exit code a scheduler should see.
 *
 * <p>Exit codes are part of the CLI contract: 2 for bad config or input found before training, 3 for
 * data that failed validation while the run was under way. Anything else escapes as exit code 1.
 */
public abstract class SparkfitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SparkfitException(String message) {
    super(message);
  }

  protected SparkfitException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code for this failure. */
  public abstract int exitCode();
}

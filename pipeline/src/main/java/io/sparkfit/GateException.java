package io.sparkfit;

/**
 * A guard stopped the job on purpose: the training data drifted from its reference (exit code 4),
 * or the challenger model did not pass the champion/challenger gate and was not promoted (exit code
 * 5). Neither is a failure to retry: a scheduler should skip what follows, not run it again.
 */
public final class GateException extends SparkfitException {
  private static final long serialVersionUID = 1L;
  public static final int DRIFT = 4;
  public static final int NOT_PROMOTED = 5;

  private final int exitCode;

  private GateException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The drift gate found violations under {@code guard.drift.on-violation = fail}. */
  public static GateException drift(String message) {
    return new GateException(message, DRIFT);
  }

  /** The challenger did not pass the gate; the champion stays. */
  public static GateException notPromoted(String message) {
    return new GateException(message, NOT_PROMOTED);
  }

  @Override
  public int exitCode() {
    return exitCode;
  }
}

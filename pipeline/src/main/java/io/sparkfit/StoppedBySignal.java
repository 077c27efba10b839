package io.sparkfit;

/**
 * The run was asked to stop by a signal (SIGTERM from a scheduler's timeout or Kubernetes, SIGINT
 * from Ctrl-C) and stopped at a safe point: exit code 128 + the signal's number, as a shell reports a
 * process killed by it (143 for SIGTERM, 130 for SIGINT). The message is the whole line printed.
 */
public final class StoppedBySignal extends SparkfitException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public StoppedBySignal(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  @Override
  public int exitCode() {
    return exitCode;
  }
}

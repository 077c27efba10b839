package io.sparkfit;

/** Helpers for turning what Spark and Hadoop throw into one-line messages. */
public final class Failures {
  private Failures() {}

  /**
   * What went wrong at the bottom of {@code failure}'s causes, in one line for a message: the
   * innermost cause, as {@code ConnectException: Connection refused}. Wrappers such
   * as Spark's "Exception thrown in awaitResult:" say nothing a user can act on.
   */
  public static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().strip();
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline).strip();
    return root.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
  }

  /**
   * Rethrows {@code failure} unchanged, checked or not. Spark's Scala code throws checked exceptions
   * ({@code SparkException} for a failed job) that Java callers cannot declare; code that catches
   * {@code Exception} to explain the ones it knows passes the others on with this.
   *
   * @return never: declared so that callers can write {@code throw Failures.unchecked(e)}
   */
  public static RuntimeException unchecked(Exception failure) {
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    throw Failures.<RuntimeException>sneaky(failure);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception failure) throws E {
    throw (E) failure;
  }
}

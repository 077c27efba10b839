package io.sparkfit;

/** Bad config or bad input data, found before any training starts: exit code 2. */
public class InvalidInputException extends SparkfitException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  /** Formats like {@link String#format}; the message names the key or column and the value found. */
  public static InvalidInputException of(String format, Object... args) {
    return new InvalidInputException(String.format(format, args));
  }

  /** Throws when {@code condition} is false: a precondition on user-supplied config or data. */
  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw of(format, args);
    }
  }

  @Override
  public int exitCode() {
    return 2;
  }
}

package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/** Preconditions shared by the config records; messages name the key and the value found. */
final class Checks {
  private Checks() {}

  static String nonBlank(String value, String key) {
    InvalidInputException.check(value != null, "Missing required config key %s", key);
    InvalidInputException.check(!value.isBlank(), "Invalid %s: \"%s\" (must not be blank)", key, value);
    return value;
  }

  /** The upper bound of {@link Limits}: past it a value is surely a mistake. */
  static void atMost(long value, long max, String key) {
    InvalidInputException.check(
        value <= max, "Invalid %s: %s (at most %s: a larger value is surely a mistake)", key, value, max);
  }

  /** As {@link #atMost(long, long, String)}, for a number. */
  static void atMost(double value, double max, String key) {
    InvalidInputException.check(
        value <= max, "Invalid %s: %s (at most %s: a larger value is surely a mistake)", key, value, max);
  }
}

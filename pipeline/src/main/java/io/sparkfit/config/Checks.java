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
}

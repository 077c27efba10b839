package io.sparkfit.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import io.sparkfit.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Typed reads from a resolved config whose failures name the key and the value found. */
final class Values {

  private Values() {}

  static String nonBlankString(Config c, String key) {
    return nonBlankString(c, key, key);
  }

  static String nonBlankString(Config c, String path, String key) {
    String value = read(c, path, key, "a string", Config::getString);
    InvalidInputException.check(!value.isBlank(), "Invalid %s: \"%s\" (must not be blank)", key, value);
    return value;
  }

  static double number(Config c, String key) {
    return number(c, key, key);
  }

  static double number(Config c, String path, String key) {
    double value = read(c, path, key, "a number", Config::getDouble);
    InvalidInputException.check(Double.isFinite(value), "Invalid %s: %s (must be finite)", key, value);
    return value;
  }

  static int intValue(Config c, String key) {
    return intValue(c, key, key);
  }

  static int intValue(Config c, String path, String key) {
    return read(c, path, key, "a whole number", Config::getInt);
  }

  static long longValue(Config c, String key) {
    return read(c, key, key, "a whole number", Config::getLong);
  }

  static boolean bool(Config c, String key) {
    return bool(c, key, key);
  }

  static boolean bool(Config c, String path, String key) {
    return read(c, path, key, "true or false", Config::getBoolean);
  }

  static List<Integer> intList(Config c, String path, String key) {
    return read(c, path, key, "a list of integers", Config::getIntList);
  }

  static List<String> stringList(Config c, String key) {
    return stringList(c, key, key);
  }

  static List<String> stringList(Config c, String path, String key) {
    return read(c, path, key, "a list of strings", Config::getStringList);
  }

  /** Enum constants are written in config in lower case with dashes: {@code min-max}. */
  static <E extends Enum<E>> E enumValue(Config c, String key, Class<E> type) {
    return enumValue(c, key, key, type);
  }

  static <E extends Enum<E>> E enumValue(Config c, String path, String key, Class<E> type) {
    String raw = nonBlankString(c, path, key);
    for (E constant : type.getEnumConstants()) {
      if (lower(constant).equals(raw.trim().toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    throw InvalidInputException.of(
        "Invalid %s: %s (must be one of %s)",
        key,
        raw,
        Arrays.stream(type.getEnumConstants()).map(Values::lower).collect(Collectors.joining(", ")));
  }

  static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private interface Reader<T> {
    T read(Config c, String path);
  }

  private static <T> T read(Config c, String path, String key, String expected, Reader<T> reader) {
    try {
      return reader.read(c, path);
    } catch (ConfigException.Missing e) {
      throw InvalidInputException.of("Missing required config key %s", key);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw InvalidInputException.of(
          "Invalid %s: %s (must be %s)", key, c.getValue(path).render(ConfigRenderOptions.concise()), expected);
    }
  }
}

package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * How a date or time feature column is read. Validates itself, naming the column's entry.
 *
 * @param format (null when not set) a datetime pattern (as Spark's {@code to_timestamp} reads it, e.g. {@code yyyy-MM-dd HH:mm})
 *     for a string column; empty reads ISO-8601 text
 * @param timeZone (null when not set) the zone whose wall clock gives a timestamp's hour, weekday and day of year; empty
 *     is UTC. Dates and strings are read as the wall-clock time they hold.
 * @param parts (null when not set) which inputs the column makes; empty takes every part the column's type has
 */
public record DateTimeOptions(String format, String timeZone, List<DateTimePart> parts) implements Serializable {

  public static final DateTimeOptions DEFAULT = new DateTimeOptions(null, null, null);

  // Nullable components rather than Optionals: the config is shipped to executors, Optional is not Serializable.
  public DateTimeOptions {
    parts = parts == null ? null : List.copyOf(parts);
  }

  public Optional<String> formatIfSet() {
    return Optional.ofNullable(format);
  }

  public Optional<String> timeZoneIfSet() {
    return Optional.ofNullable(timeZone);
  }

  public Optional<List<DateTimePart>> partsIfSet() {
    return Optional.ofNullable(parts);
  }

  /** Checks the options, naming {@code where} (e.g. {@code data.features[2]}) and the key in each message. */
  public DateTimeOptions check(String where) {
    formatIfSet().ifPresent(
        f -> {
          try {
            DateTimeFormatter.ofPattern(f);
          } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("Invalid %s.format: \"%s\" (%s)", where, f, e.getMessage());
          }
        });
    timeZoneIfSet().ifPresent(
        z -> {
          try {
            ZoneId.of(z);
          } catch (DateTimeException e) {
            throw InvalidInputException.of("Invalid %s.time-zone: \"%s\" (a zone such as UTC, Europe/Berlin or +02:00)", where, z);
          }
        });
    partsIfSet().ifPresent(
        list -> {
          InvalidInputException.check(!list.isEmpty(), "Invalid %s.parts: [] (name at least one of hour, weekday, yearday, elapsed)", where);
          InvalidInputException.check(
              new HashSet<>(list).size() == list.size(), "Invalid %s.parts: %s (a part is named twice)", where, list);
        });
    return this;
  }

  /** Whether any option is set: only a datetime column may have them. */
  public boolean isSet() {
    return format != null || timeZone != null || parts != null;
  }
}

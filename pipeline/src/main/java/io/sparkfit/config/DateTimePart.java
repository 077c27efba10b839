package io.sparkfit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a date or time column becomes: cyclical parts as sin/cos pairs, and the elapsed time as a number. */
public enum DateTimePart {
  /** The time of day, as sin/cos of its fraction of 24 hours (timestamps and strings only). */
  HOUR,
  /** The day of the week, as sin/cos of Monday = 0 to Sunday = 6 over 7. */
  WEEKDAY,
  /** The day of the year, as sin/cos of day 1 = 0 over the year's length. */
  YEARDAY,
  /** The days since 1970-01-01, one input scaled like a numeric column. */
  ELAPSED;

  /** The part's name in configs and in {@code model.zip}. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The part named {@code key}; null for another name (the caller names the key in its message). */
  @JsonCreator
  public static DateTimePart byKey(String key) {
    for (DateTimePart part : values()) {
      if (part.key().equals(key)) {
        return part;
      }
    }
    return null;
  }

  /** How many inputs the part makes: two for a cyclical part, one for the elapsed time. */
  public int width() {
    return this == ELAPSED ? 1 : 2;
  }
}

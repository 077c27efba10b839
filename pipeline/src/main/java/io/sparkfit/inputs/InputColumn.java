package io.sparkfit.inputs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;
import io.sparkfit.config.DateTimePart;
import java.util.List;

/**
 * One feature column as the trained model reads it, with what was learned for it on the training
 * rows: the value that fills a missing number, or a categorical column's vocabulary. Saved as JSON
 * in {@code model.zip} (by a {@code kind} name, never a Java class name) and applied the same way by
 * training, evaluate, predict and the Spark ML model.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = InputColumn.Numeric.class, name = "numeric"),
  @JsonSubTypes.Type(value = InputColumn.Categorical.class, name = "categorical"),
  @JsonSubTypes.Type(value = InputColumn.Array.class, name = "array"),
  @JsonSubTypes.Type(value = InputColumn.Sequence.class, name = "sequence"),
  @JsonSubTypes.Type(value = InputColumn.DateTime.class, name = "datetime")
})
public sealed interface InputColumn extends Serializable {

  /** The column's name in the table. */
  String column();

  /** How many network inputs this column makes (per time step, for a sequence). */
  int width();

  /** What kind of column this is, for messages: numeric, categorical, array. */
  String kind();

  /**
   * A number (or boolean, as 0 and 1): one input, plus a 0/1 "was missing" input with {@code indicator}.
   *
   * @param fill what a null or NaN becomes; null when missing values make the row invalid
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Numeric(String column, Double fill, boolean indicator) implements InputColumn {
    @Override
    public int width() {
      return indicator ? 2 : 1;
    }

    @Override
    public String kind() {
      return "numeric";
    }
  }

  /**
   * One-hot over {@code vocabulary} (most frequent first), then one input for any other value (rare,
   * or unseen in training) and one for null. Whole-number columns are matched by their decimal text.
   */
  record Categorical(String column, List<String> vocabulary) implements InputColumn {
    public Categorical {
      vocabulary = List.copyOf(vocabulary);
    }

    @Override
    public int width() {
      return vocabulary.size() + 2;
    }

    /** The input of values outside the vocabulary, relative to this column's first input. */
    public int otherSlot() {
      return vocabulary.size();
    }

    /** The input of nulls, relative to this column's first input. */
    public int nullSlot() {
      return vocabulary.size() + 1;
    }

    @Override
    public String kind() {
      return "categorical";
    }
  }

  /**
   * A fixed-length {@code array<float|double>} or Spark ML vector column: {@code length} inputs.
   *
   * @param shape [channels, height, width] of an image stored row-major, which convolutional layers
   *     read; empty for a flat array
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Array(String column, int length, List<Integer> shape) implements InputColumn {
    public Array {
      if (length <= 0) {
        throw new IllegalArgumentException("Invalid array length of column '" + column + "': " + length);
      }
      shape = shape == null ? List.of() : List.copyOf(shape);
      if (!shape.isEmpty() && shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b) != length) {
        throw new IllegalArgumentException("Shape " + shape + " of column '" + column + "' does not hold " + length + " values");
      }
    }

    /** A flat array. */
    public Array(String column, int length) {
      this(column, length, List.of());
    }

    @Override
    public int width() {
      return length;
    }

    @Override
    public String kind() {
      return "array";
    }
  }

  /**
   * An {@code array<array<float|double>>} column: a sequence of time steps of {@code features} values
   * each, of any length per row; shorter rows are padded and masked in a minibatch.
   */
  record Sequence(String column, int features) implements InputColumn {
    public Sequence {
      if (features <= 0) {
        throw new IllegalArgumentException("Invalid step width of column '" + column + "': " + features);
      }
    }

    @Override
    public int width() {
      return features;
    }

    @Override
    public String kind() {
      return "sequence";
    }
  }

  /**
   * A date, timestamp or string column read as a point in time: each of {@code parts} in order (a
   * cyclical part as its sin and cos, the elapsed days as one input), then a 0/1 "was missing" input
   * with {@code indicator}.
   *
   * @param format the pattern a string column is read with; null for ISO-8601 text (and for dates and timestamps)
   * @param timeZone the zone whose wall clock gives a timestamp's parts
   * @param fill the days since 1970-01-01 that a null becomes; null when a null makes the row invalid
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DateTime(String column, String format, String timeZone, List<DateTimePart> parts, Double fill, boolean indicator)
      implements InputColumn {
    public DateTime {
      parts = List.copyOf(parts);
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("A datetime column '" + column + "' makes at least one part");
      }
      if (timeZone == null) {
        timeZone = "UTC";
      }
    }

    @Override
    public int width() {
      return parts.stream().mapToInt(DateTimePart::width).sum() + (indicator ? 1 : 0);
    }

    @Override
    public String kind() {
      return "datetime";
    }
  }
}

package io.sparkfit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.config.EarlyStopping.Split;
import io.sparkfit.metrics.MetricValues;
import java.util.Locale;
import java.util.Optional;

/**
 * What one epoch produced: its duration (all of it, and the part spent fitting, without the metrics
 * and validation passes), its training metrics, and its validation metrics when it had a validation pass.
 */
public record EpochResult(
    int epoch, double seconds, double fitSeconds, MetricValues train, Optional<MetricValues> validation) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An epoch whose fitting time is not known apart (checkpoints written before it was recorded). */
  public EpochResult(int epoch, double seconds, MetricValues train, Optional<MetricValues> validation) {
    this(epoch, seconds, seconds, train, validation);
  }

  /** The block of one split. */
  public Optional<MetricValues> values(Split split) {
    return split == Split.TRAIN ? Optional.of(train) : validation;
  }

  /** The epoch's entry in {@code metrics.json}. */
  public ObjectNode toJson() {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("epoch", epoch);
    entry.put("seconds", Math.round(seconds * 1000) / 1000.0);
    entry.put("fit-seconds", Math.round(fitSeconds * 1000) / 1000.0);
    entry.set("train", train.toJson());
    validation.ifPresent(v -> entry.set("validation", v.toJson()));
    return entry;
  }

  /** Reads an entry written by {@link #toJson()}. */
  public static EpochResult fromJson(JsonNode entry) {
    return new EpochResult(
        entry.path("epoch").asInt(),
        entry.path("seconds").asDouble(),
        entry.has("fit-seconds") ? entry.get("fit-seconds").asDouble() : entry.path("seconds").asDouble(),
        MetricValues.fromJson(entry.path("train")),
        entry.has("validation") ? Optional.of(MetricValues.fromJson(entry.get("validation"))) : Optional.empty());
  }

  /** {@code Epoch 3/10 - 1.2s - loss: 0.3512 - accuracy: 0.8800 - val_loss: 0.3101 - val_accuracy: 0.9100}. */
  public String logLine(int epochs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs", epoch, epochs, seconds));
    train.scalars().forEach((metric, v) -> line.append(String.format(Locale.ROOT, " - %s: %.4f", metric, v)));
    validation.ifPresent(
        v -> v.scalars().forEach((metric, x) -> line.append(String.format(Locale.ROOT, " - val_%s: %.4f", metric, x))));
    return line.toString();
  }
}

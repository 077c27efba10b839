package io.sparkfit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.testing.Repo;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every numeric setting has an upper bound: the one docs/configuration.md states, enforced before
 * Spark starts, in one line naming the key, the value and the bound.
 */
class BoundsTest {
  private static final String MINIMAL = "data { train = \"data/train\", features = [a, b], label = y }";

  /** How to set a value to {@code value}: the override and the key the message names. */
  private record Setting(String documented, String messageKey, java.util.function.LongFunction<List<String>> overrides, long largest) {}

  private static List<Setting> settings() {
    return List.of(
        plain("training.epochs", Limits.MAX_EPOCHS),
        plain("training.batch-size-per-worker", Limits.MAX_BATCH_SIZE),
        plain("training.averaging-frequency", Limits.MAX_AVERAGING_FREQUENCY),
        plain("training.workers", Limits.MAX_WORKERS),
        plain("training.threads-per-task", Limits.MAX_THREADS_PER_TASK),
        plain("training.exchange-port", Limits.MAX_PORT),
        plain("training.stall-timeout-seconds", Limits.MAX_TIMEOUT_SECONDS),
        plain("training.stop-grace-seconds", Limits.MAX_STOP_GRACE_SECONDS),
        plain("training.early-stopping.patience", Limits.MAX_EPOCH_COUNT),
        plain("training.learning-rate-warmup-epochs", Limits.MAX_EPOCH_COUNT),
        plain("metrics.every-epochs", Limits.MAX_EPOCH_COUNT),
        plain("metrics.auc-bins", Limits.MAX_AUC_BINS),
        plain("metrics.top-k", Limits.MAX_TOP_K),
        plain("output.lease-timeout-seconds", Limits.MAX_LEASE_TIMEOUT_SECONDS),
        plain("data.categorical.max-categories", Limits.MAX_CATEGORIES),
        plain("data.categorical.max-distinct", Limits.MAX_CATEGORIES),
        new Setting(
            "`data.categorical.min-frequency`", "data.categorical.min-frequency",
            v -> List.of("data.categorical.min-frequency=" + v), Limits.MAX_MIN_FREQUENCY),
        new Setting(
            "`units` of a dense or lstm layer", "model.layers[0].units",
            v -> List.of("model.layers=[{type = dense, units = " + v + "}]"), Limits.MAX_UNITS),
        new Setting(
            "`units` of a dense or lstm layer", "model.layers[0].units",
            v -> List.of("model.layers=[{type = lstm, units = " + v + "}]"), Limits.MAX_UNITS),
        new Setting(
            "`filters`", "model.layers[0].filters",
            v -> List.of("model.layers=[{type = conv2d, filters = " + v + ", kernel = [3, 3]}]"), Limits.MAX_UNITS),
        new Setting(
            "`kernel`", "model.layers[0].kernel",
            v -> List.of("model.layers=[{type = conv2d, filters = 4, kernel = [" + v + ", 3]}]"), Limits.MAX_KERNEL),
        new Setting(
            "`model.embeddings.<column>`", "model.embeddings.\"a\"",
            v -> List.of("model.embeddings={ a = " + v + " }"), Limits.MAX_EMBEDDING_DIMENSIONS),
        new Setting(
            "`shape`", "shape of data.features 'a'",
            v -> List.of("data.features=[{ column = a, shape = [1, " + v + ", 1] }, b]"), Limits.MAX_SHAPE_DIMENSION),
        plain("model.updater.learning-rate", (long) Limits.MAX_LEARNING_RATE),
        plain("model.l2", (long) Limits.MAX_REGULARIZATION),
        new Setting("`model.weight-decay`", "model.weight-decay", v -> List.of("model.weight-decay=" + v), (long) Limits.MAX_REGULARIZATION),
        plain("model.gradient-clipping.threshold", (long) Limits.MAX_CLIPPING_THRESHOLD),
        new Setting(
            "`model.updater.schedule.every-epochs`", "model.updater.schedule.every-epochs",
            v -> List.of("model.updater.schedule={ type = step, gamma = 0.5, every-epochs = " + v + " }"), Limits.MAX_EPOCH_COUNT),
        new Setting(
            "`model.updater.schedule.power`", "model.updater.schedule.power",
            v -> List.of("model.updater.schedule={ type = poly, power = " + v + " }"), (long) Limits.MAX_SCHEDULE_POWER));
  }

  private static Setting plain(String key, long largest) {
    return new Setting("`" + key + "`", key, v -> List.of(key + "=" + v), largest);
  }

  /** The Bounds table of docs/configuration.md: each row's first cell (its keys) and last (the largest value). */
  private static Map<String, String> documented() throws Exception {
    String doc = Files.readString(Repo.root().resolve("docs/configuration.md"));
    String table = doc.substring(doc.indexOf("## Bounds"));
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| (.+?) \\| (.+?) \\| (.+?) \\|$").matcher(table);
    while (row.find()) {
      rows.put(row.group(1), row.group(3));
    }
    return rows;
  }

  @Test
  void everyBoundIsDocumentedAndEnforced() throws Exception {
    Map<String, String> doc = documented();
    for (Setting s : settings()) {
      String row =
          doc.keySet().stream()
              .filter(k -> k.contains(s.documented()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("docs/configuration.md has no bound for " + s.documented()));
      assertThat(doc.get(row)).as("documented bound of %s", s.documented()).startsWith(String.valueOf(s.largest()));
      assertThatCode(() -> ConfigLoader.parse(MINIMAL, s.overrides().apply(s.largest())))
          .as("%s = %s, the largest accepted", s.messageKey(), s.largest())
          .doesNotThrowAnyException();
      long past = s.largest() + 1;
      assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL, s.overrides().apply(past)))
          .as("%s = %s", s.messageKey(), past)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Invalid " + s.messageKey() + ": ")
          .hasMessageContaining(String.valueOf(s.largest()));
    }
  }

  @Test
  void theIssuesExampleIsOneLine() {
    assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL, List.of("training.epochs=1e9")))
        .hasMessage("Invalid training.epochs: 1000000000 (at most 100000: a larger value is surely a mistake)");
  }
}

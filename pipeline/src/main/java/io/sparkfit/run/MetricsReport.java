package io.sparkfit.run;

import io.sparkfit.metrics.MetricSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The content of {@code metrics.json} and the one-line epoch log, from the epochs' records. */
public final class MetricsReport {
  private MetricsReport() {}

  /** {@code {"epochs": [...], "final": {"train": {...}, "validation": {...}}}}. */
  public static Map<String, Object> toJson(List<EpochRecord> epochs) {
    List<Object> list = new ArrayList<>();
    for (EpochRecord e : epochs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("epoch", e.epoch());
      entry.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
      entry.putAll(blocks(e));
      list.add(entry);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epochs", list);
    json.put("final", epochs.isEmpty() ? Map.of() : blocks(epochs.get(epochs.size() - 1)));
    return json;
  }

  private static Map<String, Object> blocks(EpochRecord e) {
    Map<String, Object> blocks = new LinkedHashMap<>();
    blocks.put("train", block(e.train()));
    e.validation().ifPresent(v -> blocks.put("validation", block(v)));
    return blocks;
  }

  /** A block's results, with NaN (a metric over no examples) written as null. */
  static Map<String, Object> block(MetricSet metrics) {
    Map<String, Object> out = new LinkedHashMap<>();
    metrics.results().forEach((k, v) -> out.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
    return out;
  }

  /** {@code Epoch 3/10 - 1.2s - loss: 0.3512 - val_loss: 0.3101 - val_accuracy: 0.9100}. */
  public static String logLine(EpochRecord e, int epochs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs", e.epoch(), epochs, e.seconds()));
    append(line, "", e.train());
    e.validation().ifPresent(v -> append(line, "val_", v));
    return line.toString();
  }

  private static void append(StringBuilder line, String prefix, MetricSet metrics) {
    metrics.results().forEach(
        (name, value) -> {
          if (value instanceof Double d) {
            line.append(String.format(Locale.ROOT, " - %s%s: %.4f", prefix, name, d));
          }
        });
  }
}

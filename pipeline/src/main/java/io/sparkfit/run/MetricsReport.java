package io.sparkfit.run;

import io.sparkfit.metrics.MetricResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The content of {@code metrics.json} and the Keras-like epoch log line, from the epochs' records. */
public final class MetricsReport {
  private final MetricResults results;

  public MetricsReport(MetricResults results) {
    this.results = results;
  }

  /** One epoch's entry of {@code metrics.json}: number, seconds, and the train and validation blocks. */
  public Map<String, Object> entry(EpochRecord e) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("epoch", e.epoch());
    entry.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
    entry.put("train", results.block(e.train()));
    e.validation().ifPresent(v -> entry.put("validation", results.block(v)));
    return entry;
  }

  /**
   * {@code {"epochs": [...], "final": {"train": {...}, "validation": {...}}}} from the epochs' entries
   * (a resumed run's come partly from its checkpoint). {@code final} holds the blocks of the epoch
   * whose model is kept ({@code keptEpoch}: the last, or the best under early stopping): its training
   * block, and the last validation block computed up to it.
   */
  public static Map<String, Object> toJson(List<Map<String, Object>> entries, int keptEpoch) {
    Map<String, Object> last = new LinkedHashMap<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Map<String, Object> e = entries.get(i);
      if (((Number) e.get("epoch")).intValue() > keptEpoch) {
        continue;
      }
      if (!last.containsKey("train")) {
        last.put("train", e.get("train"));
      }
      if (e.containsKey("validation")) {
        last.put("validation", e.get("validation"));
        break;
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epochs", entries);
    json.put("final", last);
    return json;
  }

  /** As {@link #toJson(List, int)}, keeping the last epoch. */
  public Map<String, Object> toJson(List<EpochRecord> epochs) {
    return toJson(epochs.stream().map(this::entry).toList(), epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch());
  }

  /** {@code Epoch 3/10 - 1.2s - loss: 0.3512 - accuracy: 0.8800 - val_loss: 0.3101 - val_accuracy: 0.9100}. */
  public String logLine(EpochRecord e, int epochs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs", e.epoch(), epochs, e.seconds()));
    results.scalars(e.train()).forEach((name, v) -> line.append(String.format(Locale.ROOT, " - %s: %.4f", name, v)));
    e.validation()
        .ifPresent(
            v -> results.scalars(v).forEach((name, x) -> line.append(String.format(Locale.ROOT, " - val_%s: %.4f", name, x))));
    return line.toString();
  }
}

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

  /**
   * {@code {"epochs": [...], "final": {"train": {...}, "validation": {...}}}}. {@code final} holds the
   * last epoch's training block and the last validation block computed.
   */
  public Map<String, Object> toJson(List<EpochRecord> epochs) {
    List<Object> list = new ArrayList<>();
    for (EpochRecord e : epochs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("epoch", e.epoch());
      entry.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
      entry.put("train", results.block(e.train()));
      e.validation().ifPresent(v -> entry.put("validation", results.block(v)));
      list.add(entry);
    }
    Map<String, Object> last = new LinkedHashMap<>();
    if (!epochs.isEmpty()) {
      last.put("train", results.block(epochs.get(epochs.size() - 1).train()));
      for (int i = epochs.size() - 1; i >= 0; i--) {
        if (epochs.get(i).validation().isPresent()) {
          last.put("validation", results.block(epochs.get(i).validation().get()));
          break;
        }
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epochs", list);
    json.put("final", last);
    return json;
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

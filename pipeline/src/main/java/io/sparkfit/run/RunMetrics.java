package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.metrics.SliceMetrics;
import java.util.Optional;

/**
 * The content of {@code metrics.json}: every epoch, the {@code final} blocks of the epoch whose
 * model is kept (the last, or the best under early stopping), how early stopping went, and the kept
 * model's metrics per slice ({@code metrics.slices}) when the run has slices.
 */
record RunMetrics(TrainingHistory history, int keptEpoch, Optional<EarlyStoppingOutcome> earlyStopping, Optional<Slices> slices) {
  private static final ObjectMapper JSON = new ObjectMapper();

  RunMetrics(TrainingHistory history, int keptEpoch, Optional<EarlyStoppingOutcome> earlyStopping) {
    this(history, keptEpoch, earlyStopping, Optional.empty());
  }

  /**
   * The kept model's metrics per slice, and which rows they are of: {@code validation}, or {@code train}
   * for a run without validation rows.
   */
  record Slices(String rows, SliceMetrics metrics) {}

  /** These metrics with the kept model's per-slice metrics. */
  RunMetrics withSlices(Slices kept) {
    return new RunMetrics(history, keptEpoch, earlyStopping, Optional.of(kept));
  }

  /** How early stopping ended a run. */
  public record EarlyStoppingOutcome(String metric, int bestEpoch, double bestValue, int stoppedAfterEpoch, boolean stoppedEarly) {}

  /**
   * {@code {"epochs": [...], "final": {"train": {...}, "validation": {...}}, "early-stopping": {...},
   * "slices-rows": "validation", "slices": {"country": {"fr": {...}, ...}}}}.
   */
  public ObjectNode toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.set("epochs", history.toJson());
    json.set("final", history.finalJson(keptEpoch));
    earlyStoppingJson().ifPresent(block -> json.set("early-stopping", block));
    slices.ifPresent(
        s -> {
          json.put("slices-rows", s.rows());
          json.set("slices", s.metrics().toJson());
        });
    return json;
  }

  /** The {@code early-stopping} block, when early stopping was on. */
  public Optional<ObjectNode> earlyStoppingJson() {
    return earlyStopping.map(
        e -> {
          ObjectNode block = JSON.createObjectNode();
          block.put("metric", e.metric());
          block.put("best-epoch", e.bestEpoch());
          putFinite(block, "best-value", e.bestValue());
          block.put("stopped-after-epoch", e.stoppedAfterEpoch());
          block.put("stopped-early", e.stoppedEarly());
          return block;
        });
  }

  /** Puts {@code value}, or null when it is not a finite number (JSON has no NaN). */
  static void putFinite(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}

package io.sparkfit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.metrics.MetricValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every epoch of a run so far, in order (a resumed run's first epochs come from its checkpoint).
 * Immutable.
 */
record TrainingHistory(List<EpochResult> epochs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TrainingHistory {
    epochs = List.copyOf(epochs);
  }

  public static TrainingHistory empty() {
    return new TrainingHistory(List.of());
  }

  /** This history with one more epoch. */
  public TrainingHistory with(EpochResult epoch) {
    List<EpochResult> more = new ArrayList<>(epochs);
    more.add(epoch);
    return new TrainingHistory(more);
  }

  /** The last epoch's number; 0 before the first. */
  public int lastEpoch() {
    return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
  }

  /** The training block of {@code keptEpoch}. */
  public Optional<MetricValues> finalTrain(int keptEpoch) {
    return epochs.stream().filter(e -> e.epoch() == keptEpoch).map(EpochResult::train).findFirst();
  }

  /** The last validation block computed up to {@code keptEpoch} (metrics may skip epochs). */
  public Optional<MetricValues> finalValidation(int keptEpoch) {
    Optional<MetricValues> last = Optional.empty();
    for (EpochResult e : epochs) {
      if (e.epoch() <= keptEpoch && e.validation().isPresent()) {
        last = e.validation();
      }
    }
    return last;
  }

  public ArrayNode toJson() {
    ArrayNode array = JSON.createArrayNode();
    epochs.forEach(e -> array.add(e.toJson()));
    return array;
  }

  public static TrainingHistory fromJson(JsonNode array) {
    List<EpochResult> epochs = new ArrayList<>();
    array.forEach(e -> epochs.add(EpochResult.fromJson(e)));
    return new TrainingHistory(epochs);
  }

  /** {@code "final"} of {@code metrics.json}: the kept epoch's training block and its last validation block. */
  ObjectNode finalJson(int keptEpoch) {
    ObjectNode last = JSON.createObjectNode();
    finalTrain(keptEpoch).ifPresent(t -> last.set("train", t.toJson()));
    finalValidation(keptEpoch).ifPresent(v -> last.set("validation", v.toJson()));
    return last;
  }
}

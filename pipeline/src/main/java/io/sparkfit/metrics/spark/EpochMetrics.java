package io.sparkfit.metrics.spark;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * What an epoch's training does for the metrics, on the workers: listeners that tally the training
 * forward pass, and on a metrics epoch, the validation to score inside the training stage (when the
 * engine does that).
 *
 * @param listeners attached to the network on every worker for this epoch (they must be serializable)
 */
public record EpochMetrics(List<TrainingListener> listeners, Optional<StageValidation> validation) {
  public EpochMetrics {
    listeners = List.copyOf(listeners);
  }

  /** No metric work on the workers. */
  public static EpochMetrics none() {
    return new EpochMetrics(List.of(), Optional.empty());
  }

  /** Only these listeners. */
  public static EpochMetrics listening(List<TrainingListener> listeners) {
    return new EpochMetrics(listeners, Optional.empty());
  }
}

package io.sparkfit.train;

import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import io.sparkfit.model.Network;

/**
 * Trains one network on Spark, an epoch at a time. The engine behind it (Sparkfit's parameter
 * averaging, or DL4J's) can change without touching the run that drives it.
 *
 * <p>Not thread-safe: one driver thread calls it, except {@link #abandonEpoch()}. {@link #close()}
 * removes any temporary files.
 */
public interface Trainer extends AutoCloseable {

  /**
   * Fits one epoch over the training minibatches.
   *
   * @param metrics what the workers do for the metrics this epoch: listeners on the network, and
   *     validation to score inside the training stage (an engine that cannot leaves it to a pass of its own)
   * @return the epoch's example-weighted mean {@code loss}, with the count of examples fitted
   */
  MetricSet fitEpoch(int epoch, EpochMetrics metrics);

  /**
   * From any thread: makes the epoch in progress fail at once (a graceful stop that cannot wait for
   * it), quietly; the trainer fits no further epoch.
   */
  void abandonEpoch();

  /**
   * The seconds the last epoch's stage spent scoring validation data inside it (the slowest worker's),
   * which its fitting time does not count; 0 for an engine that validates in a pass of its own.
   */
  default double lastValidationSeconds() {
    return 0;
  }

  /** The network as it stands after the last epoch, on the driver. */
  Network network();

  @Override
  void close();
}

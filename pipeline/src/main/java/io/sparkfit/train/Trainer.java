package io.sparkfit.train;

import io.sparkfit.metrics.MetricSet;
import java.util.List;
import io.sparkfit.model.Network;
import org.deeplearning4j.optimize.api.TrainingListener;

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
   * @param listeners attached to the network on every worker for this epoch (they must be serializable)
   * @return the epoch's example-weighted mean {@code loss}, with the count of examples fitted
   */
  MetricSet fitEpoch(int epoch, List<TrainingListener> listeners);

  /**
   * From any thread: makes the epoch in progress fail at once (a graceful stop that cannot wait for
   * it), quietly; the trainer fits no further epoch.
   */
  void abandonEpoch();

  /** The network as it stands after the last epoch, on the driver. */
  Network network();

  @Override
  void close();
}

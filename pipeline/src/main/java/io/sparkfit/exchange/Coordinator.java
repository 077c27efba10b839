package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;

/**
 * The driver's side of the exchange, for the epochs of one training run. Opens each epoch with the
 * state its workers start from, watches that they make progress, and keeps the averaged state the
 * epoch ends with (the driver's copy, for checkpoints and the saved model). Workers join through the
 * {@link #ticket()}; a connection that does not present its token is refused.
 *
 * <p>Spark re-runs a failed barrier stage as a new attempt of all its tasks. When a worker's
 * connection breaks, its attempt is abandoned at once: every other worker of it is disconnected, so
 * their tasks end and free their slots for the next attempt, which starts the epoch over from its
 * starting state. Thread-safe; one run's driver thread opens and ends the epochs.
 */
public interface Coordinator extends AutoCloseable {

  /**
   * Where the coordinator listens, and for what.
   *
   * @param bindHost the address it binds (a host of the driver)
   * @param advertisedHost where the workers reach it
   * @param port 0 for any free port
   * @param workers how many workers each epoch has
   * @param updaterState what becomes of the updater state at each round
   */
  record Settings(String bindHost, String advertisedHost, int port, int workers, TrainingConfig.UpdaterState updaterState) {}

  /** Starts listening. A lone worker always gets a star: it has nobody to form a ring with. */
  static Coordinator start(TrainingConfig.Exchange topology, Settings settings) {
    return topology == TrainingConfig.Exchange.RING && settings.workers() > 1 ? new RingCoordinator(settings) : new StarCoordinator(settings);
  }

  /** What a task needs to join: serializable, with the token. */
  Ticket ticket();

  /**
   * Opens an epoch: workers that join it start from {@code start} and average {@code rounds} times.
   * If {@code start} is the state the last epoch ended with, workers that hold that are not sent it.
   */
  void beginEpoch(int number, ExchangeState start, int rounds);

  /**
   * The averaged state after the epoch's last round. Workers wait for the coordinator to acknowledge
   * their last round before their tasks end, so once the stage has succeeded every round is in.
   */
  ExchangeState endEpoch();

  /** Seconds since a worker last joined or reported a round: a stage that cannot run shows as none for long. */
  double secondsSinceProgress();

  /** Stops listening and disconnects every worker; workers of an epoch in progress then fail. */
  @Override
  void close();
}

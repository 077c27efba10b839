package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A worker's side of one epoch's exchange, inside its barrier task: join, then one {@link #round}
 * per round of minibatches, every worker taking part in every round (with nothing to add once its
 * partition is used up). Not thread-safe: a round runs on the caller's thread, or with {@link
 * #roundAsync} on the exchange's own, one round at a time.
 */
public interface WorkerExchange extends AutoCloseable {

  /** Who joins: the epoch, the stage attempt, the worker (its partition) and the published state its network holds. */
  record Member(int epoch, int attempt, int worker, long heldVersion, int rounds) {}

  /** The version of no published state: a new network, or one changed since it held one. */
  long NO_STATE = StateVersions.NONE;

  /**
   * Joins the epoch of {@code ticket}'s run. Reads give up once {@code cancelled} says so (the task
   * was killed).
   *
   * @param localHost where this worker can be reached by the others (a ring's neighbours)
   */
  static WorkerExchange join(Ticket ticket, Member member, String localHost, BooleanSupplier cancelled) throws IOException {
    return ticket.topology() == TrainingConfig.Exchange.RING && ticket.workers() > 1
        ? RingWorker.join(ticket, member, localHost, cancelled)
        : StarWorker.join(ticket, member, cancelled);
  }

  /** Where the epoch starts for this worker: the values are empty when its network holds them already. */
  Received start();

  /**
   * Contributes this worker's round and returns the average it takes. {@code mine} carries what
   * {@link #wantsParameters} and {@link #wantsUpdaterState} ask for. After the last round the returned
   * version is the one the driver knows the epoch's end by.
   */
  Received round(Contribution mine) throws IOException;

  /** As {@link #round}, on the exchange's own thread, so the caller can go on fitting meanwhile. */
  CompletableFuture<Received> roundAsync(Contribution mine);

  /** Whether a round's contribution must carry the parameters: a star's from a worker that fitted, a ring's always. */
  boolean wantsParameters(boolean fitted);

  /** Whether a round's contribution must carry the updater state ({@code training.updater-state}). */
  boolean wantsUpdaterState(boolean fitted, boolean lastRound);

  /** Whether the worker zeroes its updater state when it takes averaged parameters ({@code updater-state = reset}). */
  boolean resetsUpdaterState();

  /** Bytes this worker has sent to the exchange so far (to the driver and to other workers). */
  long bytesSent();

  @Override
  void close();
}

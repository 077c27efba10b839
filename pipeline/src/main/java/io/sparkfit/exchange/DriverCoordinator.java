package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both topologies' coordinators do on the driver: listen, check every connection's token, open
 * and end epochs, admit workers to the live stage attempt, abandon an attempt whose worker failed, and
 * track progress. A topology adds what it does with a worker once admitted ({@link #serve}).
 */
abstract class DriverCoordinator implements Coordinator {
  private static final Logger LOG = LoggerFactory.getLogger(DriverCoordinator.class);

  final int workers;
  final TrainingConfig.UpdaterState updaterState;
  private final Listener listener;
  private final String host;
  private final String token;
  private final TrainingConfig.Exchange topology;
  private final StateVersions versions = new StateVersions();
  private volatile boolean closed;
  private volatile long lastProgress = System.nanoTime();
  /** The epoch being averaged; guarded by {@code this}. */
  OpenEpoch epoch;

  DriverCoordinator(TrainingConfig.Exchange topology, Settings settings) {
    this.topology = topology;
    this.workers = settings.workers();
    this.updaterState = settings.updaterState();
    this.host = settings.advertisedHost();
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    try {
      this.listener = Listener.start(settings.bindHost(), settings.port(), settings.workers() * 2, this::accepted);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Cannot listen for averaging workers on %s:%d (training.exchange-port)", settings.bindHost(), settings.port()), e);
    }
    LOG.info(
        "Parameter averaging listens on {}:{} for {} workers ({})",
        host, listener.port(), workers, topology.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public Ticket ticket() {
    return new Ticket(topology, host, listener.port(), token, workers, updaterState);
  }

  @Override
  public synchronized void beginEpoch(int number, ExchangeState start, int rounds) {
    epoch = new OpenEpoch(number, versions.begin(start), rounds, versions.localUpdatersFor(start));
    progressed();
  }

  @Override
  public synchronized ExchangeState endEpoch() {
    OpenEpoch finished = epoch;
    epoch = null;
    if (finished == null || finished.ended == null) {
      throw new IllegalStateException(
          finished == null
              ? "No averaging epoch is open"
              : String.format("Averaging stopped after %d of %d rounds", finished.round, finished.rounds));
    }
    versions.ended(finished.ended, finished.localUpdaters);
    return finished.ended.state();
  }

  @Override
  public double secondsSinceProgress() {
    return (System.nanoTime() - lastProgress) / 1e9;
  }

  void progressed() {
    lastProgress = System.nanoTime();
  }

  StateVersions.Versioned publish(ExchangeState state) {
    return versions.publish(state);
  }

  private void accepted(Connection connection) {
    int attempt = -1;
    try {
      Messages.Join join = Messages.Join.read(connection, token);
      attempt = join.attempt();
      serve(connection, join, admit(join, connection));
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        abandon(attempt, e);
      }
    }
  }

  /** Admits a worker to the live attempt of the open epoch, which must be the one it asks for. */
  private synchronized OpenEpoch admit(Messages.Join join, Connection connection) throws IOException {
    OpenEpoch current = epoch;
    if (current == null || current.number != join.epoch()) {
      throw new IOException("worker " + join.worker() + " asked for epoch " + join.epoch() + ", which is not open");
    }
    current.admit(join.attempt(), join.worker(), workers, join.listensAt(), connection);
    // Wakes the workers of a replaced attempt (they end) and a ring's workers waiting for the rest to join.
    notifyAll();
    progressed();
    return current;
  }

  /**
   * Serves an admitted worker to the end of its epoch: everything it exchanges with the driver.
   * Throws when its connection breaks or its attempt is abandoned.
   */
  abstract void serve(Connection connection, Messages.Join join, OpenEpoch epoch) throws IOException;

  /** Fails unless {@code attempt} of {@code current} is still live at {@code round}. */
  void checkLive(OpenEpoch current, int attempt, int round) throws IOException {
    if (current != epoch || !current.live(attempt, round)) {
      throw new IOException("stage attempt " + attempt + " is no longer averaging round " + round);
    }
  }

  /** Fails unless {@code attempt} of {@code current} is still live (at whatever round). */
  void checkLive(OpenEpoch current, int attempt) throws IOException {
    if (current != epoch || !current.live(attempt)) {
      throw new IOException("stage attempt " + attempt + " of epoch " + current.number + " is no longer live");
    }
  }

  /** Waits on the coordinator (guarded by {@code this}) while {@code condition} holds; interruption fails the worker. */
  void await(java.util.function.BooleanSupplier condition) throws IOException {
    while (condition.getAsBoolean()) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** What a worker is sent to start from: the counts only if it holds the starting state, else the values. */
  static Received startFor(Messages.Join join, OpenEpoch epoch) {
    StateVersions.Versioned start = epoch.state;
    ExchangeState s = start.state();
    return join.heldVersion() == start.version()
        ? new Received(start.version(), s.iteration(), s.epoch(), new float[0], new float[0])
        : new Received(start.version(), s.iteration(), s.epoch(), s.parameters(), epoch.startUpdaterOf(join.worker()));
  }

  /** Ends an attempt whose worker failed, so that Spark can start the next one. */
  private synchronized void abandon(int attempt, Exception cause) {
    OpenEpoch current = epoch;
    if (current == null || current.attempt != attempt || current.abandoned || attempt < 0) {
      LOG.debug("Averaging: dropped a connection: {}", cause.toString());
      return;
    }
    LOG.warn("Averaging: a worker of epoch {} (stage attempt {}) failed: {}", current.number, attempt, cause.toString());
    current.abandon();
    notifyAll();
  }

  @Override
  public void close() {
    closed = true;
    listener.close();
    synchronized (this) {
      epoch = null;
      notifyAll();
    }
  }
}

package io.sparkfit.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.TreeMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.executor.ExecutorNetworks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of Sparkfit's parameter averaging. Every worker of an epoch's barrier stage
 * connects here, receives the epoch's starting state, and after each round of minibatches sends its
 * parameters and updater state; once all workers have sent a round, the example-weighted average goes
 * back to each of them. One TCP round trip per round, instead of a Spark job per round.
 *
 * <p>Spark re-runs a failed barrier stage as a new attempt of all its tasks. When a worker's
 * connection breaks, the attempt is abandoned at once: every other worker of it is disconnected, so
 * their tasks end and free their slots for the next attempt, which starts again from the epoch's
 * starting state. A connection must present the run's secret token before anything it sends is used.
 *
 * <p>Every state the coordinator hands out has a version. A worker says which version its network
 * holds when it joins; if that is the epoch's starting state, nothing is sent (with one worker, or
 * from the second epoch on, the common case). After the last round the average goes back to the
 * workers, so that they hold the next epoch's starting state; a lone worker holds it already.
 */
final class AveragingCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AveragingCoordinator.class);

  private final ServerSocket server;
  private final String host;
  private final String token;
  private final int workers;
  private final TrainingConfig.UpdaterState updaterState;
  private final AtomicLong versions = new AtomicLong(ExecutorNetworks.Kept.NONE);
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /** When a worker last joined or sent a round: a stage that cannot run shows as none for long. */
  private volatile long lastProgress = System.nanoTime();
  /** The epoch being averaged; guarded by {@code this}. */
  private Epoch epoch;
  /** The state the last epoch ended with, and its version; guarded by {@code this}. */
  private Versioned lastEnd;
  /**
   * Under {@code updater-state = local}: each worker's own updater state at the end of the last
   * epoch, so that a worker that must be sent the starting state (a retried stage attempt, a network
   * rebuilt) gets its own back and the epoch runs as it would have. Guarded by {@code this}.
   */
  private Map<Integer, float[]> lastLocalUpdaters = Map.of();

  private AveragingCoordinator(ServerSocket server, String host, int workers, TrainingConfig.UpdaterState updaterState) {
    this.server = server;
    this.host = host;
    this.workers = workers;
    this.updaterState = updaterState;
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    Thread acceptor = new Thread(this::acceptConnections, "sparkfit-averaging-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Listens on {@code bindHost:port} (port 0: any free port) for {@code workers} workers, which reach
   * it at {@code advertisedHost}; {@code updaterState} says what the rounds do with the updater state.
   */
  static AveragingCoordinator start(
      String bindHost, String advertisedHost, int port, int workers, TrainingConfig.UpdaterState updaterState) {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), workers * 2);
      LOG.info("Parameter averaging listens on {}:{} for {} workers", advertisedHost, server.getLocalPort(), workers);
      return new AveragingCoordinator(server, advertisedHost, workers, updaterState);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Cannot listen for averaging workers on %s:%d (training.exchange-port)", bindHost, port), e);
    }
  }

  /** Where workers connect, and the token they must present. */
  WorkerAddress address() {
    return new WorkerAddress(host, server.getLocalPort(), token);
  }

  /**
   * Opens an epoch: workers that join it start from {@code start} and average {@code rounds} times.
   * If {@code start} is the state the last epoch ended with, workers that hold that need not receive it.
   */
  synchronized void beginEpoch(int number, RoundStart start, int rounds) {
    boolean continues = lastEnd != null && lastEnd.state().sameValues(start);
    Versioned begin = new Versioned(start, continues ? lastEnd.version() : versions.incrementAndGet());
    epoch = new Epoch(number, begin, rounds, continues ? lastLocalUpdaters : Map.of());
    lastProgress = System.nanoTime();
  }

  /** Seconds since a worker last joined or sent its parameters. */
  double secondsSinceProgress() {
    return (System.nanoTime() - lastProgress) / 1e9;
  }

  /**
   * The averaged state after the epoch's last round. Workers wait for an acknowledgement of their last
   * round before their tasks end, so once the stage has succeeded every round has been averaged.
   */
  synchronized RoundStart endEpoch() {
    Epoch finished = epoch;
    epoch = null;
    if (finished == null || finished.round != finished.rounds) {
      throw new IllegalStateException(
          finished == null
              ? "No averaging epoch is open"
              : String.format("Averaging stopped after %d of %d rounds", finished.round, finished.rounds));
    }
    lastEnd = finished.state;
    lastLocalUpdaters = Map.copyOf(finished.localUpdaters);
    return finished.state.state();
  }

  private void acceptConnections() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread worker = new Thread(() -> serve(socket), "sparkfit-averaging-worker");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Averaging: accepting a worker failed: {}", e.toString());
        }
      }
    }
  }

  private void serve(Socket socket) {
    int attempt = -1;
    try (ExchangeStreams streams = ExchangeStreams.blocking(socket)) {
      ExchangeStreams.Join request = streams.readJoin(token);
      attempt = request.attempt();
      Joined joined = join(request.epoch(), attempt, request.worker(), socket);
      Versioned start = joined.start();
      streams.writeState(request.heldVersion() == start.version() ? unchanged(start) : everything(start, joined.updaterState()));
      for (int round = 0; round < joined.rounds(); round++) {
        Contribution contribution = streams.readContribution();
        Versioned averaged = contribute(attempt, request.worker(), round, contribution);
        boolean last = round == joined.rounds() - 1;
        streams.writeState(last && workers == 1 ? unchanged(averaged) : roundResult(averaged));
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        abandon(attempt, e);
      }
    } finally {
      connections.remove(socket);
    }
  }

  /** The counts only: the worker holds the values already. */
  private static ExchangeStreams.State unchanged(Versioned v) {
    return new ExchangeStreams.State(v.version(), v.state().iteration(), v.state().epoch(), new float[0], new float[0]);
  }

  private static ExchangeStreams.State everything(Versioned v, float[] updaterState) {
    RoundStart s = v.state();
    return new ExchangeStreams.State(v.version(), s.iteration(), s.epoch(), s.parameters(), updaterState);
  }

  /** A round's average as the workers take it: the updater state only if it is averaged. */
  private ExchangeStreams.State roundResult(Versioned v) {
    RoundStart s = v.state();
    float[] updater = updaterState == TrainingConfig.UpdaterState.AVERAGE ? s.updaterState() : new float[0];
    return new ExchangeStreams.State(v.version(), s.iteration(), s.epoch(), s.parameters(), updater);
  }

  private synchronized Joined join(int number, int attempt, int worker, Socket socket) throws IOException {
    Epoch current = epoch;
    if (current == null || current.number != number) {
      throw new IOException("worker " + worker + " asked for epoch " + number + ", which is not open");
    }
    if (attempt < current.attempt) {
      throw new IOException("worker " + worker + " belongs to abandoned stage attempt " + attempt);
    }
    if (attempt > current.attempt) {
      // A new stage attempt replaces the old one entirely: start the epoch over.
      current.members.values().forEach(AveragingCoordinator::closeQuietly);
      current.members.clear();
      current.contributions.clear();
      current.localUpdaters.clear();
      current.attempt = attempt;
      current.abandoned = false;
      current.round = 0;
      current.state = current.start;
      notifyAll();
    }
    if (current.abandoned) {
      throw new IOException("stage attempt " + attempt + " was abandoned");
    }
    if (worker < 0 || worker >= workers || current.members.containsKey(worker)) {
      throw new IOException("unexpected worker " + worker + " in stage attempt " + attempt);
    }
    current.members.put(worker, socket);
    lastProgress = System.nanoTime();
    return new Joined(current.state, current.rounds, current.startLocalUpdaters.getOrDefault(worker, current.state.state().updaterState()));
  }

  private synchronized Versioned contribute(int attempt, int worker, int round, Contribution contribution)
      throws IOException {
    Epoch current = epoch;
    checkLive(current, attempt, round);
    current.contributions.put(worker, contribution);
    if (updaterState == TrainingConfig.UpdaterState.LOCAL && round == current.rounds - 1 && contribution.updaterState().length > 0) {
      current.localUpdaters.put(worker, contribution.updaterState());
    }
    lastProgress = System.nanoTime();
    if (current.contributions.size() == workers) {
      current.state = new Versioned(average(current.state.state(), current.contributions.values()), versions.incrementAndGet());
      current.contributions.clear();
      current.round++;
      notifyAll();
      return current.state;
    }
    while (current == epoch && current.attempt == attempt && !current.abandoned && current.round == round) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    checkLive(current, attempt, round + 1);
    return current.state;
  }

  private void checkLive(Epoch current, int attempt, int round) throws IOException {
    if (current == null || current != epoch || current.attempt != attempt || current.abandoned || current.round != round) {
      throw new IOException("stage attempt " + attempt + " is no longer averaging round " + round);
    }
  }

  /** Ends an attempt whose worker failed, so that Spark can start the next one. */
  private synchronized void abandon(int attempt, Exception cause) {
    Epoch current = epoch;
    if (current == null || current.attempt != attempt || current.abandoned || attempt < 0) {
      LOG.debug("Averaging: dropped a connection: {}", cause.toString());
      return;
    }
    LOG.warn("Averaging: a worker of epoch {} (stage attempt {}) failed: {}", current.number, attempt, cause.toString());
    current.abandoned = true;
    current.members.values().forEach(AveragingCoordinator::closeQuietly);
    current.members.clear();
    current.contributions.clear();
    notifyAll();
  }

  /**
   * The example-weighted mean of the workers' parameters and updater state, in float as the networks
   * hold them. With one worker the weight is exactly 1, so the result is that worker's values bit for
   * bit; workers that had nothing left to fit in a round carry no weight. The iteration count moves on
   * by the most minibatches any worker fitted.
   */
  static RoundStart average(RoundStart before, Iterable<Contribution> contributions) {
    long total = 0;
    int steps = 0;
    // The updater state is averaged when every worker that fitted sent it (or there is none).
    boolean updaterSent = true;
    for (Contribution c : contributions) {
      total += c.examples();
      steps = Math.max(steps, c.minibatches());
      updaterSent &= c.examples() == 0 || c.updaterState().length > 0 || before.updaterState().length == 0;
    }
    if (total == 0) {
      return before;
    }
    float[] parameters = new float[before.parameters().length];
    float[] updater = new float[before.updaterState().length];
    for (Contribution c : contributions) {
      if (c.examples() == 0) {
        continue;
      }
      float weight = (float) ((double) c.examples() / total);
      add(parameters, c.parameters(), weight, "parameters");
      if (updaterSent) {
        add(updater, c.updaterState(), weight, "updater state");
      }
    }
    return new RoundStart(parameters, updaterSent ? updater : before.updaterState(), before.iteration() + steps, before.epoch());
  }

  private static void add(float[] sum, float[] values, float weight, String what) {
    if (values.length != sum.length) {
      throw new IllegalStateException(
          String.format("A worker sent %d values of %s, expected %d", values.length, what, sum.length));
    }
    for (int i = 0; i < values.length; i++) {
      sum[i] += weight * values[i];
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is how an attempt is ended; a socket that is already broken needs nothing more.
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Averaging: closing the listener: {}", e.toString());
    }
    connections.forEach(AveragingCoordinator::closeQuietly);
    synchronized (this) {
      epoch = null;
      notifyAll();
    }
  }

  /**
   * What a worker sends after a round: empty arrays if it fitted nothing, and an empty updater state
   * when the round does not average it (the state of the round before then stands).
   */
  record Contribution(int minibatches, long examples, float[] parameters, float[] updaterState) {}

  /** Where a joining worker starts: the epoch's state, with its own updater state under {@code local}. */
  private record Joined(Versioned start, int rounds, float[] updaterState) {}

  /** A state and the version it is handed out under. */
  private record Versioned(RoundStart state, long version) {}

  /** One epoch's averaging, across the attempts of its barrier stage. Guarded by the coordinator. */
  private static final class Epoch {
    final int number;
    final Versioned start;
    final int rounds;
    final Map<Integer, Socket> members = new TreeMap<>();
    final Map<Integer, Contribution> contributions = new TreeMap<>();
    int attempt = -1;
    boolean abandoned;
    int round;
    Versioned state;

    /** Each worker's updater state to start from, if not the epoch's (see {@code lastLocalUpdaters}). */
    final Map<Integer, float[]> startLocalUpdaters;
    /** Each worker's updater state after the last round, as it sent it. */
    final Map<Integer, float[]> localUpdaters = new TreeMap<>();

    Epoch(int number, Versioned start, int rounds, Map<Integer, float[]> startLocalUpdaters) {
      this.startLocalUpdaters = startLocalUpdaters;
      this.number = number;
      this.start = start;
      this.rounds = rounds;
      this.state = start;
    }
  }
}

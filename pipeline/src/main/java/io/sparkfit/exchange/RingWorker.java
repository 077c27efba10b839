package io.sparkfit.exchange;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A worker of a ring. It joins through the driver with the address it listens at, connects to its
 * right neighbour and accepts its left one (each connection opened with the run's token), and then
 * averages with the others round by round: a reduce-scatter, in which each chunk of the state travels
 * once round the ring gathering every worker's example-weighted share, then an all-gather of the
 * averaged chunks. Each worker sends 2 (N - 1) / N times the state per round, and its counts (examples,
 * minibatches) travel with the chunks, so every worker learns the totals without the driver. It sends
 * while it receives (a thread of its own), so a chunk larger than the sockets' buffers cannot deadlock
 * the ring. The driver hears a few bytes per round (progress), and at the end each worker's chunk of
 * the averaged state, so that no worker's link carries the whole of it.
 */
final class RingWorker implements WorkerExchange {
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final Ticket ticket;
  private final Member member;
  private final Connection driver;
  private final Connection left;
  private final Connection right;
  private final Received start;
  private final UpdaterSharing updater;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(StarWorker.daemon("sparkfit-ring-send"));
  private ExecutorService background;
  private int round;
  private int iteration;
  /** The round's running sums, then its averages: chunk by chunk, the sent and received ones never the same. */
  private float[] sum = new float[0];

  private RingWorker(Ticket ticket, Member member, Connection driver, Connection left, Connection right, Received start) {
    this.ticket = ticket;
    this.member = member;
    this.driver = driver;
    this.left = left;
    this.right = right;
    this.start = start;
    this.iteration = start.iteration();
    this.updater = new UpdaterSharing(ticket.updaterState());
  }

  static RingWorker join(Ticket ticket, Member member, String localHost, BooleanSupplier cancelled) throws IOException {
    int workers = ticket.workers();
    try (ServerSocket listening = new ServerSocket()) {
      listening.bind(new InetSocketAddress(InetAddress.getByName(localHost), 0), 4);
      listening.setSoTimeout(1000);
      Connection driver = connect(ticket.host(), ticket.port(), cancelled);
      try {
        new Messages.Join(member.epoch(), member.attempt(), member.worker(), member.heldVersion(), new Messages.Peer(localHost, listening.getLocalPort()))
            .write(driver, ticket.token());
        Messages.Start start = Messages.readState(driver);
        List<Messages.Peer> peers = start.peers();
        if (peers.size() != workers) {
          throw new IOException("the driver named " + peers.size() + " workers of " + workers);
        }
        Messages.Peer next = peers.get((member.worker() + 1) % workers);
        Connection right = connect(next.host(), next.port(), cancelled);
        try {
          new Messages.Hello(member.epoch(), member.attempt(), member.worker()).write(right, ticket.token());
          Connection left = acceptLeft(listening, ticket, member, cancelled);
          return new RingWorker(ticket, member, driver, left, right, start.state());
        } catch (IOException | RuntimeException e) {
          right.close();
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        driver.close();
        throw e;
      }
    }
  }

  private static Connection connect(String host, int port, BooleanSupplier cancelled) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return Connection.cancellable(socket, cancelled);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * The left neighbour's connection: the first that presents the token and says it is that worker of
   * this epoch's attempt. Anything else that connects is closed, and the wait goes on.
   */
  static Connection acceptLeft(ServerSocket listening, Ticket ticket, Member member, BooleanSupplier cancelled) throws IOException {
    int expected = (member.worker() + ticket.workers() - 1) % ticket.workers();
    while (true) {
      Socket socket;
      try {
        socket = listening.accept();
      } catch (SocketTimeoutException e) {
        if (cancelled.getAsBoolean()) {
          throw new InterruptedIOException("Cancelled while waiting for worker " + expected);
        }
        continue;
      }
      Connection candidate = Connection.cancellable(socket, cancelled);
      try {
        Messages.Hello hello = Messages.Hello.read(candidate, ticket.token());
        if (hello.epoch() == member.epoch() && hello.attempt() == member.attempt() && hello.worker() == expected) {
          return candidate;
        }
      } catch (InterruptedIOException e) {
        candidate.close();
        throw e;
      } catch (IOException e) {
        // Not the neighbour (no token, another run or attempt): refused; the neighbour still comes.
      }
      candidate.close();
    }
  }

  @Override
  public Received start() {
    return start;
  }

  @Override
  public Received round(Contribution mine) throws IOException {
    int workers = ticket.workers();
    int me = member.worker();
    boolean last = round == member.rounds() - 1;
    boolean withUpdater = updater.averaged();
    int parameters = mine.parameters().length;
    float[] own = withUpdater ? concat(mine.parameters(), mine.updaterState()) : mine.parameters();
    int length = own.length;
    if (sum.length != length) {
      sum = new float[length];
    }
    long examples = mine.examples();
    int minibatches = mine.minibatches();

    // Reduce-scatter: at step s, pass on the running sum of chunk (me - s), take that of chunk (me - s - 1) and add to it.
    long carriedExamples = examples;
    int carriedMinibatches = minibatches;
    int first = Math.floorMod(me, workers);
    WeightedAverage.weighted(sum, own, chunkStart(length, first), chunkSize(length, first), examples);
    for (int step = 0; step < workers - 1; step++) {
      int out = Math.floorMod(me - step, workers);
      int in = Math.floorMod(me - step - 1, workers);
      Future<?> sent = send(round, carriedExamples, carriedMinibatches, sum, chunkStart(length, out), chunkSize(length, out));
      Chunk chunk = receive(sum, chunkStart(length, in), chunkSize(length, in));
      WeightedAverage.addWeighted(sum, own, chunkStart(length, in), chunkSize(length, in), examples);
      carriedExamples = chunk.examples() + examples;
      carriedMinibatches = Math.max(chunk.minibatches(), minibatches);
      await(sent);
    }
    // This worker now holds the whole sum of chunk (me + 1), and the totals that came with it.
    long total = workers == 1 ? examples : carriedExamples;
    int steps = workers == 1 ? minibatches : carriedMinibatches;
    int owned = Math.floorMod(me + 1, workers);
    if (total > 0) {
      WeightedAverage.divide(sum, chunkStart(length, owned), chunkSize(length, owned), total);
    }
    // All-gather: pass on the averaged chunk (me + 1 - s), take chunk (me - s).
    for (int step = 0; step < workers - 1; step++) {
      int out = Math.floorMod(me + 1 - step, workers);
      int in = Math.floorMod(me - step, workers);
      Future<?> sent = send(round, total, steps, sum, chunkStart(length, out), chunkSize(length, out));
      receive(sum, chunkStart(length, in), chunkSize(length, in));
      await(sent);
    }
    iteration += steps;
    Messages.writeProgress(driver, round);
    float[] averagedParameters = total > 0 ? java.util.Arrays.copyOfRange(sum, 0, parameters) : new float[0];
    float[] averagedUpdater = total > 0 && withUpdater ? java.util.Arrays.copyOfRange(sum, parameters, length) : new float[0];
    long version = StateVersions.NONE;
    if (last) {
      // Each worker hands the driver the chunk it averaged (or, if nobody fitted, its own: they are all equal then).
      float[] values = total > 0 ? sum : own;
      float[] chunk = java.util.Arrays.copyOfRange(values, chunkStart(length, owned), chunkStart(length, owned) + chunkSize(length, owned));
      float[] ownUpdater = updater.sent(true, true) && !withUpdater ? mine.updaterState() : new float[0];
      new Messages.Final(iteration, examples, owned, chunk, ownUpdater).write(driver);
      version = Messages.readState(driver).state().version();
    }
    round++;
    return new Received(version, iteration, start.epoch(), averagedParameters, averagedUpdater);
  }

  /** What came with a chunk: the examples and the most minibatches of the workers whose shares it holds. */
  private record Chunk(long examples, int minibatches) {}

  private Future<?> send(int round, long examples, int minibatches, float[] values, int offset, int length) {
    return sender.submit(
        () -> Rounds.unchecked(
            () -> {
              right.writeMagic();
              right.out().writeInt(round);
              right.out().writeLong(examples);
              right.out().writeInt(minibatches);
              right.writeFloats(values, offset, length);
              right.flush();
              return null;
            }));
  }

  private Chunk receive(float[] into, int offset, int length) throws IOException {
    left.expectMagic();
    int sentRound = left.in().readInt();
    if (sentRound != round) {
      throw new IOException("worker " + Math.floorMod(member.worker() - 1, ticket.workers()) + " sent round " + sentRound + " during round " + round);
    }
    long examples = left.in().readLong();
    int minibatches = left.in().readInt();
    left.readFloats(into, offset, length);
    return new Chunk(examples, minibatches);
  }

  private static void await(Future<?> sent) throws IOException {
    try {
      sent.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException("Sending to the next worker failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while sending to the next worker");
    }
  }

  private int chunkStart(int length, int chunk) {
    return WeightedAverage.chunkStart(length, ticket.workers(), chunk);
  }

  private int chunkSize(int length, int chunk) {
    return WeightedAverage.chunkStart(length, ticket.workers(), chunk + 1) - WeightedAverage.chunkStart(length, ticket.workers(), chunk);
  }

  private static float[] concat(float[] a, float[] b) {
    float[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Override
  public CompletableFuture<Received> roundAsync(Contribution mine) {
    if (background == null) {
      background = Executors.newSingleThreadExecutor(StarWorker.daemon("sparkfit-exchange-round"));
    }
    return CompletableFuture.supplyAsync(() -> Rounds.unchecked(() -> round(mine)), background);
  }

  @Override
  public boolean wantsParameters(boolean fitted) {
    return true;
  }

  @Override
  public boolean wantsUpdaterState(boolean fitted, boolean lastRound) {
    // Averaged with the parameters, a zero-weight worker still passes the chunks along: it sends its state too.
    return updater.averaged() || updater.sent(fitted, lastRound);
  }

  @Override
  public boolean resetsUpdaterState() {
    return updater.resetOnAverage();
  }

  @Override
  public long bytesSent() {
    return driver.bytesSent() + right.bytesSent();
  }

  @Override
  public void close() {
    sender.shutdownNow();
    if (background != null) {
      background.shutdownNow();
    }
    driver.close();
    left.close();
    right.close();
  }
}

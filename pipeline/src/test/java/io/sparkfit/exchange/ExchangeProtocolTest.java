package io.sparkfit.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.TrainingConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The exchange's protocol without Spark: workers as threads. Connections without the run's token are
 * refused (at the driver and at a ring worker's port) and the epoch goes on; a ring averages as the
 * star does, each worker sending about twice the state per round, and a re-run attempt gives the
 * same bits; a worker holding the epoch's starting state is sent the counts only.
 */
class ExchangeProtocolTest {
  private static final TrainingConfig.UpdaterState LOCAL = TrainingConfig.UpdaterState.LOCAL;

  private static Coordinator coordinator(TrainingConfig.Exchange topology, int workers, TrainingConfig.UpdaterState state) {
    return Coordinator.start(topology, new Coordinator.Settings("127.0.0.1", "127.0.0.1", 0, workers, state));
  }

  @Test
  void theDriverRefusesAConnectionWithoutTheTokenAndTheEpochGoesOn() throws Exception {
    float[] parameters = {1, 2, 3};
    try (Coordinator coordinator = coordinator(TrainingConfig.Exchange.STAR, 1, TrainingConfig.UpdaterState.AVERAGE)) {
      coordinator.beginEpoch(1, new ExchangeState(new float[3], new float[0], 0, 0), 1);
      Ticket ticket = coordinator.ticket();
      try (Socket intruder = new Socket(ticket.host(), ticket.port())) {
        Connection c = Connection.cancellable(intruder, () -> false);
        new Messages.Join(1, 0, 0, 0, new Messages.Peer("", 0)).write(c, "not-the-token");
        assertThat(new DataInputStream(intruder.getInputStream()).read()).as("closed without a reply").isEqualTo(-1);
      }
      long held;
      try (WorkerExchange worker = WorkerExchange.join(ticket, new WorkerExchange.Member(1, 0, 0, WorkerExchange.NO_STATE, 1), "127.0.0.1", () -> false)) {
        assertThat(worker.start().parameters()).as("a worker holding no state is sent it").containsExactly(0, 0, 0);
        Received after = worker.round(new Contribution(1, 10, parameters, new float[0]));
        assertThat(after.parameters()).as("a lone worker holds the average already").isEmpty();
        held = after.version();
        assertThat(held).isNotEqualTo(worker.start().version());
      }
      ExchangeState end = coordinator.endEpoch();
      assertThat(end.parameters()).containsExactly(parameters);
      assertThat(end.iteration()).isEqualTo(1);
      assertThatThrownBy(coordinator::endEpoch).isInstanceOf(IllegalStateException.class);

      // The next epoch starts where this one ended: a worker holding that is sent the counts only, one
      // holding anything else (a rebuilt network) the values. Each leaves before its round, abandoning its attempt.
      coordinator.beginEpoch(2, new ExchangeState(end.parameters().clone(), new float[0], 1, 1), 1);
      long[] versions = {held, WorkerExchange.NO_STATE};
      for (int attempt = 0; attempt < versions.length; attempt++) {
        try (WorkerExchange worker = WorkerExchange.join(ticket, new WorkerExchange.Member(2, attempt, 0, versions[attempt], 1), "127.0.0.1", () -> false)) {
          assertThat(worker.start().version()).isEqualTo(held);
          assertThat(worker.start().parameters()).as("held version %d", versions[attempt]).hasSize(attempt == 0 ? 0 : 3);
          assertThat(worker.start().iteration()).isEqualTo(1);
          // The counts are the new epoch's, also for a worker that holds the values: schedules by epoch read them.
          assertThat(worker.start().epoch()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void aRingWorkerRefusesStrangersAndWaitsForItsNeighbour() throws Exception {
    Ticket ticket = new Ticket(TrainingConfig.Exchange.RING, "127.0.0.1", 1, "the-token", 3, LOCAL);
    WorkerExchange.Member me = new WorkerExchange.Member(4, 1, 2, 0, 1);
    try (ServerSocket listening = new ServerSocket()) {
      listening.bind(new InetSocketAddress("127.0.0.1", 0));
      listening.setSoTimeout(1000);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<Connection> accepted = pool.submit(() -> RingWorker.acceptLeft(listening, ticket, me, () -> false));
      List<Socket> refused = new ArrayList<>();
      for (Messages.Hello hello : List.of(new Messages.Hello(4, 1, 1), new Messages.Hello(4, 0, 1), new Messages.Hello(4, 1, 0))) {
        // The first without the token; then the token, but another attempt, then another worker.
        Socket socket = new Socket("127.0.0.1", listening.getLocalPort());
        hello.write(Connection.cancellable(socket, () -> false), refused.isEmpty() ? "wrong" : "the-token");
        refused.add(socket);
      }
      for (Socket socket : refused) {
        assertThat(new DataInputStream(socket.getInputStream()).read()).as("closed without a reply").isEqualTo(-1);
        socket.close();
      }
      assertThat(accepted.isDone()).as("still waiting for worker 1").isFalse();
      try (Socket neighbour = new Socket("127.0.0.1", listening.getLocalPort())) {
        new Messages.Hello(4, 1, 1).write(Connection.cancellable(neighbour, () -> false), "the-token");
        assertThat(accepted.get()).isNotNull();
      }
      pool.shutdown();
    }
  }

  /** Runs one epoch of {@code rounds} rounds with {@code workers} thread-workers; returns what each took, per round. */
  private static List<List<Received>> epoch(Coordinator coordinator, int epoch, int attempt, float[][][] parameters, long[][] examples)
      throws Exception {
    int workers = parameters.length;
    int rounds = parameters[0].length;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<List<Received>>> results = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      results.add(
          pool.submit(
              () -> {
                List<Received> taken = new ArrayList<>();
                try (WorkerExchange exchange =
                    WorkerExchange.join(coordinator.ticket(), new WorkerExchange.Member(epoch, attempt, worker, WorkerExchange.NO_STATE, rounds), "127.0.0.1", () -> false)) {
                  for (int r = 0; r < rounds; r++) {
                    boolean last = r == rounds - 1;
                    float[] updater = last ? new float[] {worker, worker} : new float[0];
                    taken.add(exchange.round(new Contribution(examples[worker][r] > 0 ? 2 : 0, examples[worker][r], parameters[worker][r], updater)));
                  }
                  taken.add(new Received(exchange.bytesSent(), 0, 0, new float[0], new float[0]));
                }
                return taken;
              }));
    }
    List<List<Received>> all = new ArrayList<>();
    for (Future<List<Received>> f : results) {
      all.add(f.get());
    }
    pool.shutdown();
    return all;
  }

  @Test
  void aRingAveragesAsTheStarDoesWithAboutTwiceTheStatePerWorkerAndAgainBitForBit() throws Exception {
    int workers = 3;
    int rounds = 2;
    int size = 10_000;
    Random random = new Random(7);
    float[][][] parameters = new float[workers][rounds][size];
    for (float[][] w : parameters) {
      for (float[] r : w) {
        for (int i = 0; i < size; i++) {
          r[i] = (float) random.nextGaussian();
        }
      }
    }
    // Worker 2 has nothing left to fit in the second round: it carries no weight there.
    long[][] examples = {{32, 32}, {32, 8}, {24, 0}};
    try (Coordinator ring = coordinator(TrainingConfig.Exchange.RING, workers, LOCAL)) {
      ring.beginEpoch(1, new ExchangeState(new float[size], new float[] {0, 0}, 5, 0), rounds);
      List<List<Received>> first = epoch(ring, 1, 0, parameters, examples);
      ExchangeState end = ring.endEpoch();

      for (int r = 0; r < rounds; r++) {
        List<Contribution> contributions = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          contributions.add(new Contribution(examples[w][r] > 0 ? 2 : 0, examples[w][r], parameters[w][r], new float[0]));
        }
        float[] star = WeightedAverage.of(new ExchangeState(new float[size], new float[0], 0, 0), contributions).parameters();
        for (int w = 0; w < workers; w++) {
          float[] taken = first.get(w).get(r).parameters();
          assertThat(taken).as("every worker takes the same average").containsExactly(first.get(0).get(r).parameters());
          for (int i = 0; i < size; i += 997) {
            assertThat(taken[i]).as("round %d value %d", r, i).isCloseTo(star[i], within(1e-5f));
          }
        }
      }
      assertThat(first.get(0).get(rounds - 1).iteration()).as("5 + 2 per round").isEqualTo(9);
      assertThat(end.parameters()).containsExactly(first.get(1).get(rounds - 1).parameters());
      assertThat(end.iteration()).isEqualTo(9);
      // Under local the driver keeps the mean of the workers' own updater states, by the last round's examples.
      assertThat(end.updaterState()[0]).isCloseTo((0 * 32 + 1 * 8 + 2 * 0) / 40f, within(1e-6f));
      double payloadPerRound = size * Float.BYTES;
      for (int w = 0; w < workers; w++) {
        long sent = first.get(w).get(rounds).version();
        // 2 (N - 1) / N of the state per round to the next worker, and its 1 / N of the final state to the driver once.
        double expected = 2.0 * (workers - 1) / workers + 1.0 / (workers * rounds);
        assertThat(sent / (rounds * payloadPerRound))
            .as("worker %d's bytes per round, as a multiple of the state", w)
            .isCloseTo(expected, within(0.01));
      }

      // A re-run of the epoch (a new stage attempt) gives the same bits.
      ring.beginEpoch(2, new ExchangeState(new float[size], new float[] {0, 0}, 5, 0), rounds);
      List<List<Received>> again = epoch(ring, 2, 1, parameters, examples);
      ring.endEpoch();
      for (int w = 0; w < workers; w++) {
        for (int r = 0; r < rounds; r++) {
          assertThat(again.get(w).get(r).parameters()).containsExactly(first.get(w).get(r).parameters());
        }
      }
    }
  }
}

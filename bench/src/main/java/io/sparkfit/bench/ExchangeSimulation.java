package io.sparkfit.bench;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.exchange.Contribution;
import io.sparkfit.exchange.Coordinator;
import io.sparkfit.exchange.ExchangeState;
import io.sparkfit.exchange.Ticket;
import io.sparkfit.exchange.WorkerExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The exchange over simulated network links: the driver and every worker are processes of their own,
 * each in a network namespace of its own with a rate-limited link to a bridge ({@code bench/exchange-sim}
 * builds them). They run the real {@link Coordinator} and {@link WorkerExchange} with real-size
 * payloads, one configuration after another (MLP and CNN, {@code local} and {@code average} updater
 * state, star and ring), and each process reads its own link's byte counters. The driver writes one
 * CSV row per configuration: the median round, the bytes through the busiest link per round as a
 * multiple of the payload, and how many cores all the processes kept busy meanwhile (on a machine of
 * two, 2 means the simulation measured its CPU rather than its links).
 *
 * <p>{@code driver DIR HOST WORKERS ROUNDS RATE CSV} and {@code worker DIR HOST WORKER}; the processes
 * meet through files in {@code DIR}.
 */
public final class ExchangeSimulation {
  private static final int WARM_UP = 2;
  private static final long WAIT_NANOS = Long.getLong("sfsim.wait.seconds", 600) * 1_000_000_000L;

  private ExchangeSimulation() {}

  /** One configuration: a topology, a network's payload and an updater-state option. */
  record Setup(TrainingConfig.Exchange exchange, String network, int parameters, TrainingConfig.UpdaterState state) {
    int updaterValues() {
      return state == TrainingConfig.UpdaterState.AVERAGE ? 2 * parameters : 0;
    }

    double payloadBytes() {
      return (double) (parameters + updaterValues()) * Float.BYTES;
    }
  }

  /** The configurations, narrowed by {@code -Dsfsim.networks=cnn} and {@code -Dsfsim.states=local} when given. */
  static List<Setup> setups() {
    List<String> networks = List.of(System.getProperty("sfsim.networks", "mlp,cnn").split(","));
    List<String> states = List.of(System.getProperty("sfsim.states", "local,average").split(","));
    List<Setup> all = new ArrayList<>();
    for (int n = 0; n < ExchangeScalingBenchmark.NAMES.length; n++) {
      for (TrainingConfig.UpdaterState state : List.of(TrainingConfig.UpdaterState.LOCAL, TrainingConfig.UpdaterState.AVERAGE)) {
        for (TrainingConfig.Exchange exchange : List.of(TrainingConfig.Exchange.RING, TrainingConfig.Exchange.STAR)) {
          if (networks.contains(ExchangeScalingBenchmark.NAMES[n]) && states.contains(state.name().toLowerCase(Locale.ROOT))) {
            all.add(new Setup(exchange, ExchangeScalingBenchmark.NAMES[n], ExchangeScalingBenchmark.PARAMETERS[n], state));
          }
        }
      }
    }
    return all;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("driver")) {
      driver(dir, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5], Path.of(args[6]));
    } else {
      worker(dir, args[2], Integer.parseInt(args[3]));
    }
  }

  /**
   * Per configuration, two epochs: one of a single round, which hands every worker the starting state,
   * then the measured one, which workers join holding that state (as from a run's second epoch on),
   * so that what the links carry is the rounds' traffic and the final state only.
   */
  private static void driver(Path dir, String host, int workers, int rounds, String rate, Path csv) throws Exception {
    List<Setup> setups = setups();
    for (int s = 0; s < setups.size(); s++) {
      Setup setup = setups.get(s);
      int total = rounds + WARM_UP;
      try (Coordinator coordinator =
          Coordinator.start(setup.exchange(), new Coordinator.Settings(host, host, 0, workers, setup.state()))) {
        coordinator.beginEpoch(1, new ExchangeState(new float[setup.parameters()], new float[setup.updaterValues()], 0, 0), 1);
        Ticket t = coordinator.ticket();
        Properties ticket = new Properties();
        ticket.setProperty("exchange", t.topology().name());
        ticket.setProperty("host", t.host());
        ticket.setProperty("port", String.valueOf(t.port()));
        ticket.setProperty("token", t.token());
        ticket.setProperty("workers", String.valueOf(workers));
        ticket.setProperty("state", setup.state().name());
        ticket.setProperty("parameters", String.valueOf(setup.parameters()));
        ticket.setProperty("rounds", String.valueOf(total));
        write(dir.resolve("ticket-" + s), ticket);
        for (int w = 0; w < workers; w++) {
          await(dir.resolve("joined-" + s + "-" + w));
        }
        ExchangeState first = coordinator.endEpoch();
        coordinator.beginEpoch(2, first, total);
        long[] before = counters();
        long cpuBefore = cpuNanos();
        write(dir.resolve("go-" + s), new Properties());
        List<Properties> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          done.add(await(dir.resolve("done-" + s + "-" + w)));
        }
        coordinator.endEpoch();
        long[] after = counters();
        double[] times = new double[rounds];
        long firstEnd = Long.MAX_VALUE;
        long lastEnd = 0;
        long cpu = cpuNanos() - cpuBefore;
        for (int r = WARM_UP; r < total; r++) {
          long end = 0;
          long previous = 0;
          for (Properties d : done) {
            long[] ends = Arrays.stream(d.getProperty("ends").split(",")).mapToLong(Long::parseLong).toArray();
            end = Math.max(end, ends[r]);
            previous = Math.max(previous, ends[r - 1]);
          }
          times[r - WARM_UP] = (end - previous) / 1e3;
        }
        for (Properties d : done) {
          long[] ends = Arrays.stream(d.getProperty("ends").split(",")).mapToLong(Long::parseLong).toArray();
          firstEnd = Math.min(firstEnd, Long.parseLong(d.getProperty("started")));
          lastEnd = Math.max(lastEnd, ends[total - 1]);
          cpu += Long.parseLong(d.getProperty("cpu"));
        }
        Arrays.sort(times);
        long busiest = Math.max(after[0] - before[0], after[1] - before[1]);
        String busiestHost = "driver";
        for (int w = 0; w < workers; w++) {
          long link = Math.max(Long.parseLong(done.get(w).getProperty("tx")), Long.parseLong(done.get(w).getProperty("rx")));
          if (link > busiest) {
            busiest = link;
            busiestHost = "worker " + w;
          }
        }
        double perRound = busiest / (total * setup.payloadBytes());
        // Cores busy over the epoch, all processes together: 2 on this machine means CPU-bound.
        double busyCores = cpu / 1e3 / Math.max(1, lastEnd - firstEnd);
        String row =
            String.format(
                Locale.ROOT, "%s,%s,%s,%.3f,%d,%s,%.3f,%.3f,%s,%.2f%n",
                setup.exchange().name().toLowerCase(Locale.ROOT), setup.network(), setup.state().name().toLowerCase(Locale.ROOT),
                setup.payloadBytes() / 1e6, workers, rate, times[rounds / 2], perRound, busiestHost, busyCores);
        Files.writeString(csv, row, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.print(row);
      }
    }
    Files.writeString(dir.resolve("finished"), "");
  }

  private static void worker(Path dir, String host, int worker) throws Exception {
    List<Setup> setups = setups();
    for (int s = 0; s < setups.size(); s++) {
      Properties p = await(dir.resolve("ticket-" + s));
      Ticket ticket =
          new Ticket(
              TrainingConfig.Exchange.valueOf(p.getProperty("exchange")), p.getProperty("host"), Integer.parseInt(p.getProperty("port")),
              p.getProperty("token"), Integer.parseInt(p.getProperty("workers")), TrainingConfig.UpdaterState.valueOf(p.getProperty("state")));
      int parameters = Integer.parseInt(p.getProperty("parameters"));
      int total = Integer.parseInt(p.getProperty("rounds"));
      int updaterValues = ticket.updaterState() == TrainingConfig.UpdaterState.AVERAGE ? 2 * parameters : 0;
      float[] mine = new float[parameters];
      Arrays.fill(mine, worker);
      long held;
      try (WorkerExchange exchange = WorkerExchange.join(ticket, new WorkerExchange.Member(1, 0, worker, WorkerExchange.NO_STATE, 1), host, () -> false)) {
        float[] moments = exchange.wantsUpdaterState(true, true) ? new float[updaterValues] : new float[0];
        held = exchange.round(new Contribution(5, 320, mine, moments)).version();
      }
      write(dir.resolve("joined-" + s + "-" + worker), new Properties());
      await(dir.resolve("go-" + s));
      long[] ends = new long[total];
      long[] before = counters();
      long cpu = cpuNanos();
      long started = micros();
      try (WorkerExchange exchange = WorkerExchange.join(ticket, new WorkerExchange.Member(2, 0, worker, held, total), host, () -> false)) {
        for (int r = 0; r < total; r++) {
          float[] moments = exchange.wantsUpdaterState(true, r == total - 1) ? new float[updaterValues] : new float[0];
          exchange.round(new Contribution(5, 320, mine, moments));
          ends[r] = micros();
        }
      }
      long[] after = counters();
      Properties done = new Properties();
      done.setProperty("ends", String.join(",", Arrays.stream(ends).mapToObj(Long::toString).toList()));
      done.setProperty("tx", String.valueOf(after[0] - before[0]));
      done.setProperty("rx", String.valueOf(after[1] - before[1]));
      done.setProperty("cpu", String.valueOf(cpuNanos() - cpu));
      done.setProperty("started", String.valueOf(started));
      write(dir.resolve("done-" + s + "-" + worker), done);
    }
  }

  /** Wall time in microseconds, comparable between the processes of one machine. */
  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  /** This namespace's link's bytes sent and received so far. */
  private static long[] counters() throws IOException {
    Path stats = Path.of("/sys/class/net/eth0/statistics");
    return new long[] {
      Long.parseLong(Files.readString(stats.resolve("tx_bytes")).trim()), Long.parseLong(Files.readString(stats.resolve("rx_bytes")).trim())
    };
  }

  private static void write(Path file, Properties values) throws IOException {
    Path staged = file.resolveSibling(file.getFileName() + ".tmp");
    try (var out = Files.newOutputStream(staged)) {
      values.store(out, null);
    }
    Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Properties await(Path file) throws Exception {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + file + " after " + WAIT_NANOS / 1_000_000_000L + " s");
      }
      Thread.sleep(20);
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }
}

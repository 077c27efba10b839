package io.sparkfit.bench;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.exchange.Contribution;
import io.sparkfit.exchange.Coordinator;
import io.sparkfit.exchange.ExchangeState;
import io.sparkfit.exchange.WorkerExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How an averaging round's time grows with the number of workers, through the exchange's public
 * interface: the driver's real {@link Coordinator} and N workers (threads, on loopback) that exchange
 * real-size payloads (the parameters of the digits MLP or CNN, and under {@code updater-state =
 * average} Adam's two moment arrays) and fit nothing, for each topology. Reports the median round and
 * the bytes the busiest worker sent per round, as a multiple of the payload.
 *
 * <p>Usage: {@code ExchangeScalingBenchmark [--rounds N] [--workers 1,2,4]}; results in
 * {@code bench/results/exchange-scaling-DATE.csv}. {@code bench/exchange-sim} runs the same exchange
 * over simulated network links.
 */
public final class ExchangeScalingBenchmark {
  private ExchangeScalingBenchmark() {}

  /** Parameter counts of the benchmark networks: 784-128-10 MLP and the LeNet-style CNN. */
  static final int[] PARAMETERS = {101_770, 233_196};
  static final String[] NAMES = {"mlp", "cnn"};

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    int rounds = options.contains("--rounds") ? Integer.parseInt(options.get(options.indexOf("--rounds") + 1)) : 30;
    int[] counts =
        options.contains("--workers")
            ? Arrays.stream(options.get(options.indexOf("--workers") + 1).split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 2, 4, 8, 16, 32};
    StringBuilder csv = new StringBuilder("exchange,network,updater_state,parameters,payload_mb,workers,round_ms,busiest_sent_per_payload,cores\n");
    System.out.printf(Locale.ROOT, "%-5s %-5s %-8s %8s %8s %10s %16s%n", "exch", "net", "updater", "MB/wkr", "workers", "round ms", "busiest x payload");
    // Warm-up, not reported: the first exchanges run before the JIT has compiled the copy loops.
    for (TrainingConfig.Exchange exchange : TrainingConfig.Exchange.values()) {
      for (int workers : counts) {
        measure(exchange, PARAMETERS[0], 0, workers, rounds, TrainingConfig.UpdaterState.LOCAL);
      }
    }
    for (int n = 0; n < NAMES.length; n++) {
      for (TrainingConfig.UpdaterState state : List.of(TrainingConfig.UpdaterState.LOCAL, TrainingConfig.UpdaterState.AVERAGE)) {
        int updaterValues = state == TrainingConfig.UpdaterState.AVERAGE ? 2 * PARAMETERS[n] : 0;
        for (TrainingConfig.Exchange exchange : TrainingConfig.Exchange.values()) {
          for (int workers : counts) {
            Result r = measure(exchange, PARAMETERS[n], updaterValues, workers, rounds, state);
            double payloadMb = (double) (PARAMETERS[n] + updaterValues) * Float.BYTES / 1e6;
            String name = state.name().toLowerCase(Locale.ROOT);
            String topology = exchange.name().toLowerCase(Locale.ROOT);
            System.out.printf(
                Locale.ROOT, "%-5s %-5s %-8s %8.2f %8d %10.2f %16.2f%n", topology, NAMES[n], name, payloadMb, workers, r.roundMs(), r.busiest());
            csv.append(
                String.format(
                    Locale.ROOT, "%s,%s,%s,%d,%.3f,%d,%.3f,%.3f,%d%n",
                    topology, NAMES[n], name, PARAMETERS[n], payloadMb, workers, r.roundMs(), r.busiest(), Runtime.getRuntime().availableProcessors()));
          }
        }
      }
    }
    Path file = Path.of("bench/results/exchange-scaling-" + java.time.LocalDate.now() + ".csv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv.toString());
    System.out.println("Wrote " + file);
  }

  /** The median round, and the most bytes a worker sent per round as a multiple of the payload. */
  record Result(double roundMs, double busiest) {}

  static Result measure(TrainingConfig.Exchange exchange, int parameters, int updaterValues, int workers, int rounds, TrainingConfig.UpdaterState state)
      throws Exception {
    int total = rounds + 3;
    try (Coordinator coordinator =
        Coordinator.start(exchange, new Coordinator.Settings("127.0.0.1", "127.0.0.1", 0, workers, state))) {
      coordinator.beginEpoch(1, new ExchangeState(new float[parameters], new float[updaterValues], 0, 0), total);
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      long[][] finished = new long[workers][total];
      List<Future<Long>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        done.add(
            pool.submit(
                () -> {
                  float[] mine = new float[parameters];
                  Arrays.fill(mine, worker);
                  try (WorkerExchange ex =
                      WorkerExchange.join(
                          coordinator.ticket(), new WorkerExchange.Member(1, 0, worker, WorkerExchange.NO_STATE, total), "127.0.0.1", () -> false)) {
                    for (int r = 0; r < total; r++) {
                      boolean last = r == total - 1;
                      float[] moments = ex.wantsUpdaterState(true, last) ? new float[updaterValues] : new float[0];
                      ex.round(new Contribution(5, 320, mine, moments));
                      finished[worker][r] = System.nanoTime();
                    }
                    return ex.bytesSent();
                  }
                }));
      }
      long busiest = 0;
      for (Future<Long> f : done) {
        busiest = Math.max(busiest, f.get());
      }
      pool.shutdown();
      coordinator.endEpoch();
      // A round ends when its last worker has the average; skip the first three (warm-up).
      double[] times = new double[rounds];
      for (int r = 3; r < total; r++) {
        long end = 0;
        long previous = 0;
        for (int w = 0; w < workers; w++) {
          end = Math.max(end, finished[w][r]);
          previous = Math.max(previous, finished[w][r - 1]);
        }
        times[r - 3] = (end - previous) / 1e6;
      }
      Arrays.sort(times);
      double payload = (double) (parameters + updaterValues) * Float.BYTES;
      return new Result(times[rounds / 2], busiest / (total * payload));
    }
  }
}

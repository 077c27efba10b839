package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How an averaging round's time grows with the number of workers: the driver's real
 * {@link AveragingCoordinator} on loopback, with N simulated workers (threads) that exchange
 * real-size payloads (the parameters of the MLP or the CNN, and under {@code updater-state = average}
 * Adam's two moment arrays) and fit nothing.
 * Also times the driver's averaging arithmetic alone. In this package because the exchange is
 * package-private; it runs from the bench module's classpath only.
 *
 * <p>Usage: {@code ExchangeScalingBenchmark [--rounds N]}; results in
 * {@code bench/results/exchange-scaling-DATE.csv}.
 */
public final class ExchangeScalingBenchmark {
  private ExchangeScalingBenchmark() {}

  /** Parameter counts of the benchmark networks: 784-128-10 MLP and the LeNet-style CNN. */
  private static final int[][] NETWORKS = {{101_770}, {233_196}};
  private static final String[] NAMES = {"mlp", "cnn"};
  private static final int[] WORKERS = {1, 2, 4, 8, 16, 32};

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    int rounds = options.contains("--rounds") ? Integer.parseInt(options.get(options.indexOf("--rounds") + 1)) : 30;
    StringBuilder csv =
        new StringBuilder("network,updater_state,parameters,payload_mb,workers,round_ms,driver_mb_per_round,averaging_ms,cores\n");
    System.out.printf(
        Locale.ROOT, "%-5s %-8s %11s %8s %8s %10s %12s %13s%n", "net", "updater", "parameters", "MB/wkr", "workers", "round ms", "driver MB", "averaging ms");
    // Warm-up, not reported: the first exchanges run before the JIT has compiled the copy loops.
    for (int workers : WORKERS) {
      roundMillis(NETWORKS[0][0], 2 * NETWORKS[0][0], workers, rounds, TrainingConfig.UpdaterState.AVERAGE);
      averagingMillis(NETWORKS[0][0], 2 * NETWORKS[0][0], workers, rounds);
    }
    for (int n = 0; n < NAMES.length; n++) {
      int parameters = NETWORKS[n][0];
      for (TrainingConfig.UpdaterState state : List.of(TrainingConfig.UpdaterState.LOCAL, TrainingConfig.UpdaterState.AVERAGE)) {
        // Under local a round carries the parameters only; under average Adam's two moment arrays too.
        int updaterValues = state == TrainingConfig.UpdaterState.AVERAGE ? 2 * parameters : 0;
        for (int workers : WORKERS) {
          double roundMs = roundMillis(parameters, updaterValues, workers, rounds, state);
          double averagingMs = averagingMillis(parameters, updaterValues, workers, rounds);
          double payloadMb = (double) (parameters + updaterValues) * Float.BYTES / 1e6;
          double driverMb = 2 * workers * payloadMb;
          String name = state.name().toLowerCase(Locale.ROOT);
          System.out.printf(
              Locale.ROOT, "%-5s %-8s %11d %8.2f %8d %10.2f %12.1f %13.2f%n",
              NAMES[n], name, parameters, payloadMb, workers, roundMs, driverMb, averagingMs);
          csv.append(
              String.format(
                  Locale.ROOT, "%s,%s,%d,%.3f,%d,%.3f,%.2f,%.3f,%d%n",
                  NAMES[n], name, parameters, payloadMb, workers, roundMs, driverMb, averagingMs, Runtime.getRuntime().availableProcessors()));
        }
      }
    }
    Path file = Path.of("bench/results/exchange-scaling-" + java.time.LocalDate.now() + ".csv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv.toString());
    System.out.println("Wrote " + file);
  }

  /** Median wall time of a round (every worker sends, the average comes back to every worker). */
  private static double roundMillis(int parameters, int updaterValues, int workers, int rounds, TrainingConfig.UpdaterState state)
      throws Exception {
    float[] start = new float[parameters];
    float[] updater = new float[2 * parameters];
    try (AveragingCoordinator coordinator = AveragingCoordinator.start("127.0.0.1", "127.0.0.1", 0, workers, state)) {
      int total = rounds + 3;
      coordinator.beginEpoch(1, new RoundStart(start, updater, 0, 0), total);
      WorkerAddress address = coordinator.address();
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      CountDownLatch joined = new CountDownLatch(workers);
      long[][] finished = new long[workers][total];
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        done.add(
            pool.submit(
                () -> {
                  float[] mine = new float[parameters];
                  float[] moments = new float[updaterValues];
                  Arrays.fill(mine, worker);
                  try (Socket socket = new Socket(address.host(), address.port())) {
                    ExchangeStreams streams = ExchangeStreams.cancellable(socket, () -> false);
                    streams.writeJoin(address.token(), 1, 0, worker, 0);
                    streams.readState();
                    joined.countDown();
                    for (int r = 0; r < total; r++) {
                      streams.writeContribution(new AveragingCoordinator.Contribution(5, 320, mine, moments));
                      streams.readState();
                      finished[worker][r] = System.nanoTime();
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return null;
                }));
      }
      joined.await();
      for (Future<?> f : done) {
        f.get();
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
      return times[rounds / 2];
    }
  }

  /** Median time of the driver's averaging arithmetic for one round of {@code workers} contributions. */
  private static double averagingMillis(int parameters, int updaterValues, int workers, int rounds) {
    RoundStart before = new RoundStart(new float[parameters], new float[2 * parameters], 0, 0);
    List<AveragingCoordinator.Contribution> contributions = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      float[] p = new float[parameters];
      Arrays.fill(p, w);
      contributions.add(new AveragingCoordinator.Contribution(5, 320, p, new float[updaterValues]));
    }
    double[] times = new double[rounds];
    for (int r = 0; r < rounds + 3; r++) {
      long start = System.nanoTime();
      AveragingCoordinator.average(before, contributions);
      if (r >= 3) {
        times[r - 3] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(times);
    return times[rounds / 2];
  }
}

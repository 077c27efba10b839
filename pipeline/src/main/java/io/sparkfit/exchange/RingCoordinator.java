package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ring's driver: a rendezvous, not a relay. Each worker of a stage attempt joins with the address
 * it listens at; once all have joined, each is sent where to start and everyone's address, and the
 * workers average among themselves. Mid-epoch the driver only hears a few bytes per worker and round
 * (progress, for the stall timeout). After the last round each worker sends the chunk of the averaged
 * state it owns, and under {@code updater-state = local} its own updater state; the driver assembles
 * the state and acknowledges each worker once it has them all, with the version it knows the epoch's
 * end by.
 */
final class RingCoordinator extends DriverCoordinator {
  RingCoordinator(Settings settings) {
    super(TrainingConfig.Exchange.RING, settings);
  }

  @Override
  void serve(Connection connection, Messages.Join join, OpenEpoch epoch) throws IOException {
    int attempt = join.attempt();
    List<Messages.Peer> peers;
    Received start;
    synchronized (this) {
      // Admitting the worker recorded its address; the ring forms once every worker of the attempt has joined.
      await(() -> epoch == this.epoch && epoch.live(attempt) && epoch.addresses.size() < workers);
      checkLive(epoch, attempt);
      peers = new ArrayList<>(epoch.addresses.values());
      start = startFor(join, epoch);
    }
    Messages.writeState(connection, start, peers);
    while (true) {
      Object report = Messages.readReport(connection);
      if (report instanceof Integer round) {
        reported(epoch, attempt, round);
        continue;
      }
      Messages.Final end = (Messages.Final) report;
      Received ack = finish(epoch, attempt, join.worker(), end);
      Messages.writeState(connection, ack, List.of());
      return;
    }
  }

  /** A worker finished {@code round}: progress, and how far the attempt got (for a message if it stops). */
  private synchronized void reported(OpenEpoch current, int attempt, int round) throws IOException {
    checkLive(current, attempt);
    current.round = Math.max(current.round, round + 1);
    progressed();
  }

  /** Takes a worker's end of epoch; once every worker's is in, the epoch has ended and each is acknowledged. */
  private synchronized Received finish(OpenEpoch current, int attempt, int worker, Messages.Final end) throws IOException {
    checkLive(current, attempt);
    progressed();
    current.finals.put(end.chunk(), end);
    if (updaterState == TrainingConfig.UpdaterState.LOCAL) {
      current.localUpdaters.put(worker, end.ownUpdaterState());
    }
    current.lastRoundExamples.put(worker, end.lastRoundExamples());
    if (current.finals.size() == workers) {
      ExchangeState start = current.start.state();
      boolean averagedUpdater = updaterState == TrainingConfig.UpdaterState.AVERAGE;
      int parameters = start.parameters().length;
      float[] whole = new float[parameters + (averagedUpdater ? start.updaterState().length : 0)];
      for (Messages.Final chunk : current.finals.values()) {
        int at = WeightedAverage.chunkStart(whole.length, workers, chunk.chunk());
        int size = WeightedAverage.chunkStart(whole.length, workers, chunk.chunk() + 1) - at;
        if (chunk.averaged().length != size) {
          throw new IOException("worker sent " + chunk.averaged().length + " values of chunk " + chunk.chunk() + ", expected " + size);
        }
        System.arraycopy(chunk.averaged(), 0, whole, at, size);
      }
      float[] updater =
          switch (updaterState) {
            case AVERAGE -> java.util.Arrays.copyOfRange(whole, parameters, whole.length);
            case LOCAL -> WeightedAverage.meanOf(current.localUpdaters, current.lastRoundExamples, start.updaterState());
            case RESET -> start.updaterState();
          };
      current.round = current.rounds;
      current.ended = publish(new ExchangeState(java.util.Arrays.copyOf(whole, parameters), updater, end.iteration(), start.epoch()));
      notifyAll();
    }
    await(() -> current == epoch && current.live(attempt) && current.ended == null);
    if (current.ended == null) {
      throw new IOException("stage attempt " + attempt + " ended before every worker finished");
    }
    ExchangeState s = current.ended.state();
    return new Received(current.ended.version(), s.iteration(), s.epoch(), new float[0], new float[0]);
  }
}

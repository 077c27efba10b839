package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;
import java.io.IOException;
import java.util.List;

/**
 * The star: every worker sends its round to the driver, which answers each with the example-weighted
 * average once all have sent theirs. One TCP round trip per round, instead of a Spark job per round.
 * After the last round the average goes back to the workers, so that they hold the next epoch's
 * starting state; a lone worker holds it already, and is sent the counts only.
 */
final class StarCoordinator extends DriverCoordinator {

  StarCoordinator(Settings settings) {
    super(TrainingConfig.Exchange.STAR, settings);
  }

  @Override
  void serve(Connection connection, Messages.Join join, OpenEpoch epoch) throws IOException {
    Received start;
    synchronized (this) {
      start = startFor(join, epoch);
    }
    Messages.writeState(connection, start, List.of());
    for (int round = 0; round < epoch.rounds; round++) {
      Contribution contribution = Messages.readContribution(connection);
      StateVersions.Versioned averaged = contribute(epoch, join.attempt(), join.worker(), round, contribution);
      boolean last = round == epoch.rounds - 1;
      Messages.writeState(connection, last && workers == 1 ? unchanged(averaged) : roundResult(averaged), List.of());
    }
  }

  /** The counts only: the worker holds the values already. */
  private static Received unchanged(StateVersions.Versioned v) {
    return new Received(v.version(), v.state().iteration(), v.state().epoch(), new float[0], new float[0]);
  }

  /** A round's average as the workers take it: the updater state only if it is averaged. */
  private Received roundResult(StateVersions.Versioned v) {
    ExchangeState s = v.state();
    float[] updater = updaterState == TrainingConfig.UpdaterState.AVERAGE ? s.updaterState() : new float[0];
    return new Received(v.version(), s.iteration(), s.epoch(), s.parameters(), updater);
  }

  private synchronized StateVersions.Versioned contribute(OpenEpoch current, int attempt, int worker, int round, Contribution contribution)
      throws IOException {
    checkLive(current, attempt, round);
    current.contributions.put(worker, contribution);
    if (updaterState == TrainingConfig.UpdaterState.LOCAL && round == current.rounds - 1 && contribution.updaterState().length > 0) {
      current.localUpdaters.put(worker, contribution.updaterState());
    }
    progressed();
    if (current.contributions.size() == workers) {
      current.state = publish(WeightedAverage.of(current.state.state(), current.contributions.values()));
      current.contributions.clear();
      current.round++;
      if (current.round == current.rounds) {
        current.ended = current.state;
      }
      notifyAll();
      return current.state;
    }
    await(() -> current == epoch && current.attempt == attempt && !current.abandoned && current.round == round);
    checkLive(current, attempt, round + 1);
    return current.state;
  }
}

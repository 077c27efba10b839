package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;
import java.io.Serializable;

/**
 * What a task needs to join an epoch's exchange: the topology, where the driver's coordinator listens,
 * the run's secret (presented on every connection, to the driver and between workers), how many
 * workers there are, and what becomes of the updater state. Serializable: it travels in the task.
 */
public record Ticket(TrainingConfig.Exchange topology, String host, int port, String token, int workers, TrainingConfig.UpdaterState updaterState)
    implements Serializable {
  @Override
  public String toString() {
    // The token stays out of logs and error messages.
    return topology.name().toLowerCase(java.util.Locale.ROOT) + " exchange at " + host + ":" + port;
  }
}

package io.sparkfit.exchange;

import io.sparkfit.config.TrainingConfig;

/**
 * {@code training.updater-state} as the exchange applies it, in one place: what a worker's round
 * carries, and what the worker does with what it gets back.
 */
final class UpdaterSharing {
  private final TrainingConfig.UpdaterState state;

  UpdaterSharing(TrainingConfig.UpdaterState state) {
    this.state = state;
  }

  /** Averaged like the parameters, every round. */
  boolean averaged() {
    return state == TrainingConfig.UpdaterState.AVERAGE;
  }

  /**
   * Whether a round's contribution carries the updater state: when it is averaged (and the worker
   * fitted), and under {@code local} at the last round, fitted or not, so that the driver keeps every
   * worker's own state and a retried epoch can give each its own back.
   */
  boolean sent(boolean fitted, boolean lastRound) {
    return averaged() && fitted || state == TrainingConfig.UpdaterState.LOCAL && lastRound;
  }

  /** Zeroed whenever the worker takes averaged parameters: each round starts afresh. */
  boolean resetOnAverage() {
    return state == TrainingConfig.UpdaterState.RESET;
  }
}

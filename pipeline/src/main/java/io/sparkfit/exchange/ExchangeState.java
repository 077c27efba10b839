package io.sparkfit.exchange;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The state every worker starts a round from or ends an epoch on: parameters, updater state (empty
 * for a network without one), and the iteration and epoch counts that Adam's bias correction and
 * learning-rate schedules read.
 */
public record ExchangeState(float[] parameters, float[] updaterState, int iteration, int epoch) implements Serializable {
  /**
   * Whether {@code other} has the same parameters and updater state (records compare arrays by
   * identity); the counts travel with every message anyway.
   */
  public boolean sameValues(ExchangeState other) {
    return Arrays.equals(parameters, other.parameters) && Arrays.equals(updaterState, other.updaterState);
  }
}

package io.sparkfit.train;

import java.io.Serializable;

/**
 * Where every worker starts an averaging round: the averaged parameters and updater state, and the
 * iteration and epoch counts (Adam's bias correction and learning-rate schedules read them).
 */
record RoundStart(float[] parameters, float[] updaterState, int iteration, int epoch) implements Serializable {
  /**
   * Whether {@code other} has the same parameters and updater state (records compare arrays by
   * identity); the counts travel with every message anyway.
   */
  boolean sameValues(RoundStart other) {
    return java.util.Arrays.equals(parameters, other.parameters)
        && java.util.Arrays.equals(updaterState, other.updaterState);
  }
}

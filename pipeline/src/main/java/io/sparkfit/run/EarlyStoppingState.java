package io.sparkfit.run;

/**
 * Where early stopping stands after an epoch: the best epoch so far (0 before any), its value, and
 * how many epochs since then.
 */
record EarlyStoppingState(int bestEpoch, double bestValue, int epochsSinceBest) {

  public static EarlyStoppingState start() {
    return new EarlyStoppingState(0, Double.NaN, 0);
  }

  public boolean improvedAt(int epoch) {
    return bestEpoch == epoch;
  }
}

package io.sparkfit.exchange;

/**
 * What a worker fitted in a round and its values: its parameters (empty if it fitted nothing) and its
 * updater state (empty when the round does not carry it: the state of the round before then stands).
 */
public record Contribution(int minibatches, long examples, float[] parameters, float[] updaterState) {
  /** Whether the worker fitted anything this round. */
  public boolean fitted() {
    return examples > 0;
  }
}

package io.sparkfit.train;

import java.io.Serializable;

/**
 * What one worker sends back after an averaging round: its parameters and updater state, how many
 * minibatches and examples it fitted, and the sum of their training losses.
 */
record RoundResult(int worker, float[] parameters, float[] updaterState, int minibatches, long examples, double lossSum)
    implements Serializable {}

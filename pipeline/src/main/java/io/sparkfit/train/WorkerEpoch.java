package io.sparkfit.train;

import java.io.Serializable;

/**
 * What one worker's task returns after an epoch: what it fitted, the sum of those training losses,
 * and where its time went (fitting, or exchanging with the driver and waiting for the other workers).
 */
record WorkerEpoch(int worker, int minibatches, long examples, double lossSum, double fitSeconds, double exchangeSeconds)
    implements Serializable {}

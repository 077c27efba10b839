package io.sparkfit.train;

import java.io.Serializable;

/**
 * What one worker's task returns after an epoch: what it fitted, the sum of those training losses,
 * where its time went (fitting, exchanging and waiting for the other workers, scoring its validation
 * share), and the bytes it sent to the exchange.
 */
record WorkerEpoch(
    int worker,
    int minibatches,
    long examples,
    double lossSum,
    double fitSeconds,
    double exchangeSeconds,
    double validationSeconds,
    long bytesSent)
    implements Serializable {}

package io.sparkfit.train;

import io.sparkfit.metrics.MetricSet;
import java.io.Serializable;

/**
 * What one worker's task returns after an epoch: what it fitted, the state of those training losses
 * ({@link TrainingLoss}, weighted when the minibatches are),
 * where its time went (fitting, exchanging and waiting for the other workers, scoring its validation
 * share), and the bytes it sent to the exchange.
 */
record WorkerEpoch(
    int worker,
    int minibatches,
    long examples,
    MetricSet loss,
    double fitSeconds,
    double exchangeSeconds,
    double validationSeconds,
    long bytesSent)
    implements Serializable {}

package io.sparkfit.run;

import io.sparkfit.metrics.MetricSet;
import java.util.Optional;

/** What one epoch produced: its duration and its training and validation metrics. */
public record EpochRecord(int epoch, double seconds, MetricSet train, Optional<MetricSet> validation) {}

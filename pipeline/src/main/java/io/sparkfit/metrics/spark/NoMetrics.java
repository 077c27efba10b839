package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.MetricSet;
import java.util.List;
import java.util.Optional;
import io.sparkfit.model.Network;
import org.deeplearning4j.optimize.api.TrainingListener;

/** Fast mode's sink: does nothing and registers nothing. */
enum NoMetrics implements MetricsSink {
  INSTANCE;

  @Override
  public EpochMetrics forEpoch(int epoch) {
    return EpochMetrics.none();
  }

  @Override
  public MetricSet trainingMetrics(int epoch) {
    return MetricSet.empty();
  }

  @Override
  public Optional<MetricSet> validation(int epoch, Network network) {
    return Optional.empty();
  }
}

package io.sparkfit.metrics.spark;

import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import io.sparkfit.model.Network;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Validation and full modes: metrics through {@code sparkfit.*} accumulators, on metrics epochs. */
final class SparkMetricsSink implements MetricsSink {
  private final MetricsConfig config;
  private final int epochs;
  private final Optional<ValidationPass> validation;
  private final Optional<StageValidation> inStage;
  private final TrainingTally training;

  /** The validation data and the distributed evaluation that scores it. */
  private record ValidationPass(DistributedEvaluation evaluation, JavaRDD<MultiDataSet> minibatches) {}

  SparkMetricsSink(
      JavaSparkContext sc,
      MetricsConfig config,
      TrainingConfig trainingConfig,
      Evaluator evaluator,
      Optional<JavaRDD<MultiDataSet>> validation,
      boolean inStage) {
    this.config = config;
    this.epochs = trainingConfig.epochs();
    this.inStage = inStage ? validation.map(v -> StageValidation.register(sc, evaluator)) : Optional.empty();
    this.validation =
        inStage
            ? Optional.empty()
            : validation.map(
                v -> new ValidationPass(new DistributedEvaluation(sc, evaluator, "validation", trainingConfig.threadsPerTask()), v));
    this.training = config.mode() == MetricsConfig.Mode.FULL ? TrainingTally.of(sc, evaluator) : TrainingTally.none();
  }

  @Override
  public EpochMetrics forEpoch(int epoch) {
    List<TrainingListener> listeners = training.begin();
    if (!config.isMetricsEpoch(epoch, epochs)) {
      return EpochMetrics.none();
    }
    inStage.ifPresent(StageValidation::reset);
    return new EpochMetrics(listeners, inStage);
  }

  @Override
  public MetricSet trainingMetrics(int epoch) {
    return config.isMetricsEpoch(epoch, epochs) ? training.value() : MetricSet.empty();
  }

  @Override
  public Optional<MetricSet> validation(int epoch, Network network) {
    if (!config.isMetricsEpoch(epoch, epochs)) {
      return Optional.empty();
    }
    if (inStage.isPresent()) {
      return inStage.map(StageValidation::value);
    }
    return validation.map(pass -> pass.evaluation().evaluate(network, pass.minibatches()));
  }
}

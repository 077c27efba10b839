package io.sparkfit.metrics.spark;

import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

/** Validation and full modes: metrics through {@code sparkfit.*} accumulators. */
final class SparkMetricsSink implements MetricsSink {
  private final MetricsConfig config;
  private final int epochs;
  private final Optional<DistributedEvaluation> validationPass;
  private final Optional<JavaRDD<DataSet>> validation;
  private final MetricsAccumulator training;
  private final List<TrainingListener> listeners;

  SparkMetricsSink(
      JavaSparkContext sc,
      MetricsConfig config,
      TrainingConfig trainingConfig,
      Evaluator evaluator,
      Optional<JavaRDD<DataSet>> validation) {
    this.config = config;
    this.epochs = trainingConfig.epochs();
    this.validation = validation;
    this.validationPass =
        validation.map(v -> new DistributedEvaluation(sc, evaluator, "validation", trainingConfig.threadsPerTask()));
    if (config.mode() == MetricsConfig.Mode.FULL) {
      training = new MetricsAccumulator();
      sc.sc().register(training, "sparkfit.train");
      listeners = List.of(new TrainingMetricsListener(evaluator.withoutLoss(), training));
    } else {
      training = null;
      listeners = List.of();
    }
  }

  @Override
  public List<TrainingListener> trainingListeners(int epoch) {
    if (training != null) {
      training.reset();
    }
    return config.isMetricsEpoch(epoch, epochs) ? listeners : List.of();
  }

  @Override
  public MetricSet trainingMetrics(int epoch) {
    return training == null || !config.isMetricsEpoch(epoch, epochs) ? MetricSet.empty() : training.value();
  }

  @Override
  public Optional<MetricSet> validation(int epoch, MultiLayerNetwork network) {
    if (!config.isMetricsEpoch(epoch, epochs)) {
      return Optional.empty();
    }
    return validationPass.map(pass -> pass.evaluate(network, validation.orElseThrow()));
  }
}

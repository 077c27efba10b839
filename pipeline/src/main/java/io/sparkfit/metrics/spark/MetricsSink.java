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

/**
 * Where a run's metrics come from, epoch by epoch. The training loop asks it the same questions in
 * every mode; in fast mode the answers are empty and no metric work happens at all ({@link #none()}).
 *
 * <p>Used on the driver by one thread.
 */
public interface MetricsSink {

  /** What this epoch's training does for the metrics on the workers: listeners, and in-stage validation. */
  EpochMetrics forEpoch(int epoch);

  /** What the training listeners tallied this epoch (beyond the loss); empty when nothing was. */
  MetricSet trainingMetrics(int epoch);

  /**
   * This epoch's validation metrics, when the sink computes them then: what the training stage scored
   * (when {@link #forEpoch} asked it to), or a distributed pass of their own.
   */
  Optional<MetricSet> validation(int epoch, Network network);

  /** Fast mode: no accumulators, no metric computation, no validation pass. */
  static MetricsSink none() {
    return NoMetrics.INSTANCE;
  }

  /**
   * The sink for {@code config}: fast mode gives {@link #none()}; validation mode evaluates the
   * validation data on metrics epochs; full mode also tallies training metrics from the forward pass.
   *
   * @param inStage the training engine scores the validation data inside its own stage ({@link
   *     EpochMetrics#validation()}); otherwise a distributed pass of {@code validation} does
   */
  static MetricsSink create(
      JavaSparkContext sc,
      MetricsConfig config,
      TrainingConfig training,
      Evaluator evaluator,
      Optional<JavaRDD<MultiDataSet>> validation,
      boolean inStage) {
    if (config.mode() == MetricsConfig.Mode.FAST) {
      return none();
    }
    return new SparkMetricsSink(sc, config, training, evaluator, validation, inStage);
  }
}

package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.model.Network;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Validation scored inside the training stage itself, by the workers that hold the epoch's final
 * parameters after its last round: no job of its own, no broadcast of the parameters. Each worker's
 * metric states travel in the {@code sparkfit.validation} accumulator, kept by (stage, partition), so a
 * re-run stage replaces its first attempt's states instead of adding to them.
 *
 * <p>Serializable: it travels in the stage's tasks; {@link #reset} and {@link #value} are the driver's.
 */
public final class StageValidation implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Evaluator evaluator;
  private final MetricsAccumulator accumulator;

  private StageValidation(Evaluator evaluator, MetricsAccumulator accumulator) {
    this.evaluator = evaluator;
    this.accumulator = accumulator;
  }

  /** Registers the {@code sparkfit.validation} accumulator for {@code evaluator}'s states. */
  public static StageValidation register(JavaSparkContext sc, Evaluator evaluator) {
    MetricsAccumulator accumulator = new MetricsAccumulator();
    sc.sc().register(accumulator, "sparkfit.validation");
    return new StageValidation(evaluator, accumulator);
  }

  /** Before an epoch that validates: the last epoch's states go. */
  void reset() {
    accumulator.reset();
  }

  /** In a task: scores {@code minibatches} with {@code network} and adds their metric states. */
  public void score(Network network, Iterator<MultiDataSet> minibatches) {
    accumulator.add(DistributedEvaluation.score(evaluator, network, minibatches));
  }

  /** The states every worker added this epoch, merged. */
  MetricSet value() {
    return accumulator.value();
  }
}

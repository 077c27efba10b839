package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Training metrics beyond the loss, tallied from the training forward pass ({@code metrics.mode =
 * full}), or {@link #none()} in the other modes.
 */
interface TrainingTally {

  /** Starts a new epoch's tally; the listeners to attach to its training. */
  List<TrainingListener> begin();

  /** What was tallied since {@link #begin()}. */
  MetricSet value();

  static TrainingTally none() {
    return Nothing.INSTANCE;
  }

  /** Tallies through the {@code sparkfit.train} accumulator. */
  static TrainingTally of(JavaSparkContext sc, Evaluator evaluator) {
    MetricsAccumulator accumulator = new MetricsAccumulator();
    sc.sc().register(accumulator, "sparkfit.train");
    List<TrainingListener> listeners = List.of(new TrainingMetricsListener(evaluator.withoutLoss(), accumulator));
    return new TrainingTally() {
      @Override
      public List<TrainingListener> begin() {
        accumulator.reset();
        return listeners;
      }

      @Override
      public MetricSet value() {
        return accumulator.value();
      }
    };
  }

  /** No training metrics: no accumulator, no listener. */
  enum Nothing implements TrainingTally {
    INSTANCE;

    @Override
    public List<TrainingListener> begin() {
      return List.of();
    }

    @Override
    public MetricSet value() {
      return MetricSet.empty();
    }
  }
}

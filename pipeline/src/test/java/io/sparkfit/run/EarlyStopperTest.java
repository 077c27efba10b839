package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.EarlyStopping;
import io.sparkfit.config.Metric;
import io.sparkfit.metrics.MetricValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Early stopping's judgement of epochs, without Spark. */
class EarlyStopperTest {
  private static final EarlyStopper ON_AUC =
      EarlyStopper.of(
          new EarlyStopping.OnMetric(
              new EarlyStopping.Monitored(EarlyStopping.Split.VALIDATION, Metric.AUC), EarlyStopping.Mode.MAX, 2, 0));

  private static EpochResult epoch(int n, Double auc) {
    MetricValues train = new MetricValues(Map.of(Metric.LOSS, 0.5), 10, List.of(), Optional.empty());
    Optional<MetricValues> validation =
        auc == null ? Optional.empty() : Optional.of(new MetricValues(Map.of(Metric.AUC, auc), 5, List.of(), Optional.empty()));
    return new EpochResult(n, 1.0, train, validation);
  }

  private static EarlyStoppingState run(EarlyStopper stopper, EpochResult... epochs) {
    EarlyStoppingState state = EarlyStoppingState.start();
    for (EpochResult e : epochs) {
      state = stopper.after(state, e);
    }
    return state;
  }

  @Test
  void epochsWithoutTheMetricOrWithNaNNeitherImproveNorCount() {
    EarlyStoppingState state = run(ON_AUC, epoch(1, Double.NaN), epoch(2, null), epoch(3, 0.7), epoch(4, Double.NaN), epoch(5, 0.8));
    assertThat(state).isEqualTo(new EarlyStoppingState(5, 0.8, 0));
    assertThat(ON_AUC.shouldStop(state)).isFalse();
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndReportsTheBest() {
    EarlyStoppingState state = run(ON_AUC, epoch(1, 0.9), epoch(2, 0.85), epoch(3, 0.9));
    assertThat(state).isEqualTo(new EarlyStoppingState(1, 0.9, 2));
    assertThat(ON_AUC.shouldStop(state)).isTrue();
    assertThat(ON_AUC.outcome(state, 3, 10)).contains(new RunMetrics.EarlyStoppingOutcome("validation.auc", 1, 0.9, 3, true));
  }

  @Test
  void saysWhyARunEnded() {
    EarlyStoppingState state = run(ON_AUC, epoch(1, 0.7), epoch(2, 0.8), epoch(3, 0.75));
    assertThat(ON_AUC.ranAllMessage(state, 3))
        .isEqualTo("Stopped at the maximum, training.epochs = 3, 1 epoch after the best validation.auc, before the patience of 2 ran out; "
            + "keeping epoch 2 (validation.auc = 0.8000)");
    assertThat(ON_AUC.ranAllMessage(run(ON_AUC, epoch(1, 0.7), epoch(2, 0.8)), 2))
        .isEqualTo("Stopped at the maximum, training.epochs = 2, with validation.auc still improving (0.8000): keeping it; a larger "
            + "training.epochs would train on");
    assertThat(ON_AUC.plan(3))
        .isEqualTo("Early stopping on validation.auc (training.early-stopping): at most training.epochs = 3 epochs, stopping once "
            + "validation.auc has not improved for 2 epochs, keeping the best epoch's model");
    EarlyStopper off = EarlyStopper.of(EarlyStopping.off());
    assertThat(off.plan(4)).isEqualTo("Early stopping off (training.early-stopping.metric = none): training runs all training.epochs = 4 epochs");
  }

  @Test
  void offNeverImprovesNeverStopsAndReportsNothing() {
    EarlyStopper off = EarlyStopper.of(EarlyStopping.off());
    EarlyStoppingState state = run(off, epoch(1, 0.9), epoch(2, 0.1), epoch(3, 0.1), epoch(4, 0.1));
    assertThat(state.improvedAt(1)).isFalse();
    assertThat(off.shouldStop(state)).isFalse();
    assertThat(off.outcome(state, 4, 4)).isEmpty();
  }
}

package io.sparkfit.run;

import io.sparkfit.config.EarlyStopping;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Early stopping as the epoch loop sees it. With {@code training.early-stopping} off it is
 * {@link Never} (saying why), which never improves, never stops and reports nothing, so the loop asks the same
 * questions either way and never keeps a second model.
 */
interface EarlyStopper {

  /** The state after an epoch. */
  EarlyStoppingState after(EarlyStoppingState state, EpochResult epoch);

  boolean shouldStop(EarlyStoppingState state);

  /** The line logged when it stops. */
  String stopMessage(EarlyStoppingState state, int epoch);

  /** The {@code early-stopping} block of {@code metrics.json}, for a run that ended after {@code lastEpoch}. */
  Optional<RunMetrics.EarlyStoppingOutcome> outcome(EarlyStoppingState state, int lastEpoch, int epochs);

  /** The line logged before the first epoch: what ends the run. */
  String plan(int epochs);

  /** The line logged when the run ends at {@code training.epochs} without having stopped early. */
  String ranAllMessage(EarlyStoppingState state, int epochs);

  static EarlyStopper of(EarlyStopping rule) {
    if (rule instanceof EarlyStopping.OnMetric onMetric) {
      return new OnMetric(onMetric);
    }
    return new Never(((EarlyStopping.Off) rule).reason());
  }

  /** Off: every epoch runs and the last one's model is kept. */
  record Never(String reason) implements EarlyStopper {
    @Override
    public String plan(int epochs) {
      return String.format(Locale.ROOT, "Early stopping off (%s): training runs all training.epochs = %d epochs", reason, epochs);
    }

    @Override
    public String ranAllMessage(EarlyStoppingState state, int epochs) {
      return String.format(Locale.ROOT, "Stopped after training.epochs = %d epochs (early stopping off); keeping the last epoch", epochs);
    }

    @Override
    public EarlyStoppingState after(EarlyStoppingState state, EpochResult epoch) {
      return state;
    }

    @Override
    public boolean shouldStop(EarlyStoppingState state) {
      return false;
    }

    @Override
    public String stopMessage(EarlyStoppingState state, int epoch) {
      return "";
    }

    @Override
    public Optional<RunMetrics.EarlyStoppingOutcome> outcome(EarlyStoppingState state, int lastEpoch, int epochs) {
      return Optional.empty();
    }
  }

  /**
   * Watches one metric. Epochs without it (no validation pass that epoch), or where it is not a
   * number (an AUC over one class), neither improve nor count.
   */
  record OnMetric(EarlyStopping.OnMetric rule) implements EarlyStopper {
    @Override
    public EarlyStoppingState after(EarlyStoppingState state, EpochResult epoch) {
      OptionalDouble value =
          epoch.values(rule.metric().split()).map(v -> v.scalar(rule.metric().metric())).orElse(OptionalDouble.empty());
      if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
        return state;
      }
      double v = value.getAsDouble();
      if (state.bestEpoch() == 0 || rule.improves(v, state.bestValue())) {
        return new EarlyStoppingState(epoch.epoch(), v, 0);
      }
      return new EarlyStoppingState(state.bestEpoch(), state.bestValue(), state.epochsSinceBest() + 1);
    }

    @Override
    public boolean shouldStop(EarlyStoppingState state) {
      return state.epochsSinceBest() >= rule.patience();
    }

    @Override
    public String plan(int epochs) {
      return String.format(
          Locale.ROOT,
          "Early stopping on %s (training.early-stopping): at most training.epochs = %d epochs, stopping once %s has not "
              + "improved%s for %d epochs, keeping the best epoch's model",
          rule.metric(), epochs, rule.metric(), rule.minDelta() > 0 ? " by more than " + rule.minDelta() : "", rule.patience());
    }

    @Override
    public String ranAllMessage(EarlyStoppingState state, int epochs) {
      return state.bestEpoch() == 0
          ? String.format(Locale.ROOT, "Stopped at the maximum, training.epochs = %d: no epoch had %s; keeping the last epoch", epochs, rule.metric())
          : state.bestEpoch() == epochs
              ? String.format(
                  Locale.ROOT,
                  "Stopped at the maximum, training.epochs = %d, with %s still improving (%.4f): keeping it; a larger "
                      + "training.epochs would train on",
                  epochs, rule.metric(), state.bestValue())
              : String.format(
                  Locale.ROOT,
                  "Stopped at the maximum, training.epochs = %d, %d epoch%s after the best %s, before the patience of %d ran "
                      + "out; keeping epoch %d (%s = %.4f)",
                  epochs, epochs - state.bestEpoch(), epochs - state.bestEpoch() == 1 ? "" : "s", rule.metric(), rule.patience(), state.bestEpoch(), rule.metric(), state.bestValue());
    }

    @Override
    public String stopMessage(EarlyStoppingState state, int epoch) {
      return String.format(
          Locale.ROOT,
          "Early stopping after epoch %d: %s has not improved for %d epochs; keeping epoch %d (%s = %.4f)",
          epoch, rule.metric(), state.epochsSinceBest(), state.bestEpoch(), rule.metric(), state.bestValue());
    }

    @Override
    public Optional<RunMetrics.EarlyStoppingOutcome> outcome(EarlyStoppingState state, int lastEpoch, int epochs) {
      return Optional.of(
          new RunMetrics.EarlyStoppingOutcome(rule.metric().toString(), state.bestEpoch(), state.bestValue(), lastEpoch, lastEpoch < epochs));
    }
  }
}

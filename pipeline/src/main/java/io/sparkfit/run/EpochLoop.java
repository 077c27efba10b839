package io.sparkfit.run;

import io.sparkfit.data.Normalizer;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.MetricsSink;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import io.sparkfit.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs of a training run: fit, collect the epoch's metrics, log one line, let early stopping
 * judge it, save a checkpoint; then pick the model to keep (the last epoch's, or the best one's
 * under early stopping). Owns no Spark resources: the trainer and the metrics sink are its caller's.
 */
final class EpochLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

  private final Trainer trainer;
  private final MetricsSink metrics;
  private final MetricResults results;
  private final EarlyStopper stopper;
  private final CheckpointSink checkpoints;
  private final Normalizer normalizer;
  private final Function<Network, TrainedModel> asModel;
  private final int epochs;

  /**
   * @param asModel wraps a network as a model of this run (features, labels, normalizer)
   * @param epochs {@code training.epochs}
   */
  EpochLoop(
      Trainer trainer,
      MetricsSink metrics,
      MetricResults results,
      EarlyStopper stopper,
      CheckpointSink checkpoints,
      Normalizer normalizer,
      Function<Network, TrainedModel> asModel,
      int epochs) {
    this.trainer = trainer;
    this.metrics = metrics;
    this.results = results;
    this.stopper = stopper;
    this.checkpoints = checkpoints;
    this.normalizer = normalizer;
    this.asModel = asModel;
    this.epochs = epochs;
  }

  /** The kept model, the metrics of every epoch so far, and the epochs this call ran. */
  record Outcome(TrainedModel model, RunMetrics metrics, List<EpochResult> ran) {}

  /** Runs the epochs after {@code from} (or all of them), on the trainer's network. */
  Outcome run(Optional<Checkpoint> from) {
    TrainingHistory history = from.map(Checkpoint::history).orElse(TrainingHistory.empty());
    EarlyStoppingState stopping = from.map(Checkpoint::earlyStopping).orElse(EarlyStoppingState.start());
    Optional<TrainedModel> best =
        from.flatMap(Checkpoint::best).or(() -> from.filter(c -> c.earlyStopping().improvedAt(c.epoch())).map(c -> c.model().copy()));
    List<EpochResult> ran = new ArrayList<>();
    int last = from.map(Checkpoint::epoch).orElse(0);
    boolean stopped = from.isPresent() && stopper.shouldStop(stopping);
    for (int epoch = last + 1; epoch <= epochs && !stopped; epoch++) {
      long start = System.nanoTime();
      MetricSet loss = inTargetUnits(trainer.fitEpoch(epoch, metrics.trainingListeners(epoch)));
      double fitSeconds = (System.nanoTime() - start) / 1e9;
      MetricSet train = loss.merge(metrics.trainingMetrics(epoch));
      Optional<MetricSet> validated = metrics.validation(epoch, trainer.network());
      EpochResult result =
          new EpochResult(epoch, (System.nanoTime() - start) / 1e9, fitSeconds, results.values(train), validated.map(results::values));
      ran.add(result);
      history = history.with(result);
      LOG.info(result.logLine(epochs));
      stopping = stopper.after(stopping, result);
      boolean improved = stopping.improvedAt(epoch);
      if (improved) {
        // A copy: the trainer goes on changing its network.
        best = Optional.of(asModel.apply(trainer.network().copy()));
      }
      // The best model is saved apart only once training has moved past it.
      checkpoints.save(new Checkpoint(epoch, asModel.apply(trainer.network()), improved ? Optional.empty() : best, history, stopping));
      last = epoch;
      if (stopper.shouldStop(stopping)) {
        LOG.info(stopper.stopMessage(stopping, epoch));
        stopped = true;
      }
    }
    boolean keepBest = best.isPresent() && stopping.bestEpoch() != last;
    TrainedModel model = keepBest ? best.orElseThrow() : asModel.apply(trainer.network());
    int kept = keepBest ? stopping.bestEpoch() : last;
    return new Outcome(model, new RunMetrics(history, kept, stopper.outcome(stopping, last, epochs)), ran);
  }

  /** DL4J's regression loss is in standardised target units; report it in the target's own. */
  private MetricSet inTargetUnits(MetricSet train) {
    return train.states().get(MetricSet.LOSS) instanceof LossState loss
        ? train.replacing(MetricSet.LOSS, loss.scaled(normalizer.squaredErrorScale()))
        : train;
  }
}

package io.sparkfit.run;

import io.sparkfit.inputs.Normalizer;
import io.sparkfit.metrics.Loss;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.MetricValues;
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
 *
 * <p>A stop ({@link GracefulStop}) takes effect after an epoch's checkpoint. One requested during an
 * epoch finishes that epoch if, judged by the last epoch's duration, it should end within
 * {@code training.stop-grace-seconds}, and abandons it otherwise (the trainer's work and every Spark
 * job are cancelled; the previous epoch's checkpoint stands). Either way the log says which and why.
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
  private final Stopping stopping;
  /** When the epoch in progress started (System.nanoTime), or 0 between epochs: read by a stop's thread. */
  private volatile long epochStarted;
  private volatile int epochInProgress;
  /** The last epoch whose checkpoint is written (or that the run resumed after). */
  private int completed;
  /** The last epoch's seconds in this process, or NaN before one has finished. */
  private volatile double lastEpochSeconds = Double.NaN;

  /**
   * How the loop stops on request.
   *
   * @param graceSeconds {@code training.stop-grace-seconds}
   * @param abandonJobs cancels the Spark jobs of the run from now on, when an epoch is abandoned
   */
  record Stopping(GracefulStop stop, int graceSeconds, Runnable abandonJobs) {
    static Stopping never() {
      return new Stopping(GracefulStop.none(), 0, () -> {});
    }
  }

  /**
   * @param asModel wraps a network as a model of this run (features, labels, normalizer)
   * @param epochs {@code training.epochs}
   * @param stopping what a requested stop does
   */
  EpochLoop(
      Trainer trainer,
      MetricsSink metrics,
      MetricResults results,
      EarlyStopper stopper,
      CheckpointSink checkpoints,
      Normalizer normalizer,
      Function<Network, TrainedModel> asModel,
      int epochs,
      Stopping stopping) {
    this.trainer = trainer;
    this.metrics = metrics;
    this.results = results;
    this.stopper = stopper;
    this.checkpoints = checkpoints;
    this.normalizer = normalizer;
    this.asModel = asModel;
    this.epochs = epochs;
    this.stopping = stopping;
  }

  /** The kept model, the metrics of every epoch so far, and the epochs this call ran. */
  record Outcome(TrainedModel model, RunMetrics metrics, List<EpochResult> ran) {}

  /** Runs the epochs after {@code from} (or all of them), on the trainer's network. */
  Outcome run(Optional<Checkpoint> from) {
    completed = from.map(Checkpoint::epoch).orElse(0);
    GracefulStop.Registration onStop = stopping.stop().onStop(this::stopRequested);
    try {
      return epochs(from);
    } catch (Exception e) {
      throw stopping.stop().explain(e, outcome(completed));
    } finally {
      onStop.close();
    }
  }

  private Outcome epochs(Optional<Checkpoint> from) {
    TrainingHistory history = from.map(Checkpoint::history).orElse(TrainingHistory.empty());
    EarlyStoppingState stopping = from.map(Checkpoint::earlyStopping).orElse(EarlyStoppingState.start());
    Optional<TrainedModel> best =
        from.flatMap(Checkpoint::best).or(() -> from.filter(c -> c.earlyStopping().improvedAt(c.epoch())).map(c -> c.model().copy()));
    List<EpochResult> ran = new ArrayList<>();
    int last = from.map(Checkpoint::epoch).orElse(0);
    boolean stopped = from.isPresent() && stopper.shouldStop(stopping);
    if (!stopped && last < epochs) {
      LOG.info(stopper.plan(epochs));
    }
    for (int epoch = last + 1; epoch <= epochs && !stopped; epoch++) {
      this.stopping.stop().throwIfRequested(outcome(last));
      long start = System.nanoTime();
      epochInProgress = epoch;
      epochStarted = start;
      MetricSet loss = inTargetUnits(trainer.fitEpoch(epoch, metrics.forEpoch(epoch)));
      // Fitting only: validation scored inside the training stage is not counted.
      double fitSeconds = (System.nanoTime() - start) / 1e9 - trainer.lastValidationSeconds();
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
      completed = epoch;
      lastEpochSeconds = (System.nanoTime() - start) / 1e9;
      epochStarted = 0;
      if (stopper.shouldStop(stopping)) {
        LOG.info(stopper.stopMessage(stopping, epoch));
        stopped = true;
      } else if (epoch < epochs) {
        this.stopping.stop().throwIfRequested(outcome(epoch));
      }
    }
    if (!stopped && !ran.isEmpty()) {
      LOG.info(stopper.ranAllMessage(stopping, epochs));
    }
    boolean keepBest = best.isPresent() && stopping.bestEpoch() != last;
    TrainedModel model = keepBest ? best.orElseThrow() : asModel.apply(trainer.network());
    int kept = keepBest ? stopping.bestEpoch() : last;
    perClassRecall(history, kept).ifPresent(LOG::info);
    return new Outcome(model, new RunMetrics(history, kept, stopper.outcome(stopping, last, epochs)), ran);
  }

  /**
   * One line with each class's recall (and support) in the kept epoch's validation block, or its
   * training block without validation: where a rare class is missed shows at the end of every run.
   * Empty when the metrics have no per-class values (regression, or fast mode).
   */
  static Optional<String> perClassRecall(TrainingHistory history, int kept) {
    Optional<MetricValues> validation = history.finalValidation(kept).filter(v -> !v.perClass().isEmpty());
    boolean validated = validation.isPresent();
    return validation.or(() -> history.finalTrain(kept).filter(v -> !v.perClass().isEmpty()))
        .map(v -> {
          StringBuilder line = new StringBuilder("Recall per class (")
              .append(validated ? "validation" : "training").append(" data, epoch ").append(kept).append("):");
          for (MetricValues.ClassValues c : v.perClass()) {
            line.append(
                c.support() == 0
                    ? String.format(java.util.Locale.ROOT, " %s - (0 rows);", c.label())
                    : String.format(java.util.Locale.ROOT, " %s %.3f (%d rows);", c.label(), c.recall(), c.support()));
          }
          line.setLength(line.length() - 1);
          return line.toString();
        });
  }

  /** What a stop after {@code epoch} leaves: the end of the line {@code stopped by SIGTERM ...}. */
  static String outcome(int epoch) {
    return epoch > 0
        ? "after epoch " + epoch + "; resume with --resume"
        : "before the first epoch ended; no checkpoint to resume from: run it again";
  }

  /**
   * On a stop's thread: finish the epoch in progress when the last epoch's duration says it ends
   * within the grace, else abandon it. Between epochs nothing is needed: the loop stops at its next check.
   */
  private void stopRequested() {
    long started = epochStarted;
    if (started == 0) {
      return;
    }
    int epoch = epochInProgress;
    String signal = stopping.stop().signal().orElse("stop");
    double elapsed = (System.nanoTime() - started) / 1e9;
    double remaining = lastEpochSeconds - elapsed;
    if (decideToFinish(lastEpochSeconds, elapsed, stopping.graceSeconds())) {
      LOG.info(
          "{}: finishing epoch {} (about {} s left, judged by the last epoch's {} s: within training.stop-grace-seconds = {}), then stopping",
          signal, epoch, String.format("%.1f", Math.max(0, remaining)), String.format("%.1f", lastEpochSeconds), stopping.graceSeconds());
      return;
    }
    String why =
        Double.isNaN(lastEpochSeconds)
            ? "no epoch has ended in this run yet to tell how long one takes"
            : String.format(
                "about %.1f s left, judged by the last epoch's %.1f s: more than training.stop-grace-seconds = %d",
                remaining, lastEpochSeconds, stopping.graceSeconds());
    LOG.info(
        "{}: abandoning epoch {} ({}); {}", signal, epoch, why,
        epoch > 1 ? "the checkpoint of epoch " + (epoch - 1) + " stands" : "there is no checkpoint yet");
    trainer.abandonEpoch();
    stopping.abandonJobs().run();
  }

  /** Whether an epoch {@code elapsed} seconds in should be finished: it should end within {@code graceSeconds}. */
  static boolean decideToFinish(double lastEpochSeconds, double elapsed, int graceSeconds) {
    return !Double.isNaN(lastEpochSeconds) && lastEpochSeconds - elapsed <= graceSeconds;
  }

  /** DL4J's regression loss is in standardised target units; report it in the target's own. */
  private MetricSet inTargetUnits(MetricSet train) {
    return train.states().get(MetricSet.LOSS) instanceof Loss loss
        ? train.replacing(MetricSet.LOSS, loss.scaled(normalizer.squaredErrorScale()))
        : train;
  }
}

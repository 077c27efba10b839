package io.sparkfit.train;

import io.sparkfit.nd4j.BulkFloats;
import io.sparkfit.nd4j.PackedMinibatch;
import io.sparkfit.exchange.Contribution;
import io.sparkfit.exchange.Received;
import io.sparkfit.exchange.Ticket;
import io.sparkfit.exchange.WorkerExchange;
import io.sparkfit.executor.ExecutorNetworks;
import io.sparkfit.executor.TaskThreads;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.StageValidation;
import io.sparkfit.model.Network;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker's epoch, as one task of a barrier stage: stream the partition's packed minibatches in
 * order, freeing each once fitted, and after every round of them (the averaging frequency; a lone
 * worker's whole epoch) take part in the {@link WorkerExchange}. Every worker takes part in every
 * round (with nothing to add once its partition is used up), so over the epoch every minibatch is
 * fitted exactly once. The network stays in the executor between epochs, with the version of the
 * state it holds.
 *
 * <p>With {@code training.exchange-overlap}, a round's exchange runs on the exchange's thread while
 * the next round is fitted, and its average is folded in one round late: the worker rebases the
 * progress it made meanwhile onto it ({@code average + (now - sent)}). The epoch's last round is
 * averaged at once, so every worker ends the epoch holding the same state, whichever way.
 *
 * <p>With a {@link StageValidation}, the partition also carries validation minibatches after the
 * training ones; on a metrics epoch each worker scores its share with the epoch's final parameters,
 * inside this same stage.
 */
final class FitEpoch
    extends AbstractFunction1<scala.collection.Iterator<StageInput>, scala.collection.Iterator<WorkerEpoch>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final Broadcast<String> configuration;
  private final Ticket ticket;
  private final int epoch;
  private final long seed;
  private final int rounds;
  private final int minibatchesPerRound;
  private final int threadsPerTask;
  private final boolean overlap;
  private final List<TrainingListener> listeners;
  /** Null when this epoch does not validate in the stage (Optional is not serializable). */
  private final StageValidation validation;

  /**
   * @param validation scores this worker's validation minibatches after the last round, when present
   */
  FitEpoch(
      String run,
      Broadcast<String> configuration,
      Ticket ticket,
      int epoch,
      long seed,
      int rounds,
      int minibatchesPerRound,
      int threadsPerTask,
      boolean overlap,
      List<TrainingListener> listeners,
      Optional<StageValidation> validation) {
    this.run = run;
    this.configuration = configuration;
    this.ticket = ticket;
    this.epoch = epoch;
    this.seed = seed;
    this.rounds = rounds;
    this.minibatchesPerRound = minibatchesPerRound;
    this.threadsPerTask = threadsPerTask;
    this.overlap = overlap;
    this.listeners = new ArrayList<>(listeners);
    this.validation = validation.orElse(null);
  }

  @Override
  public scala.collection.Iterator<WorkerEpoch> apply(scala.collection.Iterator<StageInput> partition) {
    BarrierTaskContext task = BarrierTaskContext.get();
    int worker = task.partitionId();
    TaskThreads.prepare(threadsPerTask);
    ExecutorNetworks.Kept kept = ExecutorNetworks.kept(run + ":" + worker, configuration.value());
    Network network = kept.network();
    // Dropout draws from this thread's generator: seeded per run, epoch and worker, an epoch's
    // randomness is the same when a stage is retried or a run is resumed from a checkpoint.
    Nd4j.getRandom().setSeed(seed + 1_000_003L * epoch + worker);
    StageInput.Split input = StageInput.split(JavaConverters.asJavaIterator(partition));
    int fittedMinibatches = 0;
    long fittedExamples = 0;
    MetricSet loss = MetricSet.empty();
    long fitNanos = 0;
    long started = System.nanoTime();
    long bytes;
    try (WorkerExchange exchange =
        WorkerExchange.join(
            ticket,
            new WorkerExchange.Member(epoch, task.stageAttemptNumber(), worker, kept.stateVersion(), rounds),
            host(task, worker),
            task::isInterrupted)) {
      // From here the network changes: it holds no published state until the exchange says which.
      kept.holds(ExecutorNetworks.Kept.NONE);
      take(exchange.start(), network, false);
      network.setListeners(listeners);
      CompletableFuture<Received> pending = null;
      Sent inFlight = null;
      for (int round = 0; round < rounds; round++) {
        int minibatchesThisRound = 0;
        long examplesThisRound = 0;
        long fitStart = System.nanoTime();
        while (minibatchesThisRound < minibatchesPerRound && input.hasTraining()) {
          MultiDataSet batch = input.nextTraining().unpack();
          OptionalDouble weights = TrainingLoss.weights(batch.getLabelsMaskArrays() == null ? null : batch.getLabelsMaskArray(0));
          double meanLoss = network.fitLoss(batch);
          int n = (int) batch.getFeatures(0).size(0);
          loss = loss.merge(TrainingLoss.of(meanLoss, n, weights));
          // The network keeps no reference to a fitted minibatch: its memory goes back now.
          network.clearInputs();
          PackedMinibatch.release(batch);
          examplesThisRound += n;
          minibatchesThisRound++;
        }
        fitNanos += System.nanoTime() - fitStart;
        if (pending != null) {
          // The average of the round before, folded in now: this round's progress rebased onto it.
          rebase(await(pending), inFlight, network, exchange.resetsUpdaterState(), minibatchesThisRound);
          pending = null;
        }
        boolean last = round == rounds - 1;
        Sent sent = contribution(exchange, network, minibatchesThisRound, examplesThisRound, last);
        if (overlap && !last) {
          pending = exchange.roundAsync(sent.contribution());
          inFlight = sent;
        } else {
          Received averaged = exchange.round(sent.contribution());
          take(averaged, network, exchange.resetsUpdaterState());
          if (last) {
            kept.holds(averaged.version());
          }
        }
        fittedMinibatches += minibatchesThisRound;
        fittedExamples += examplesThisRound;
      }
      bytes = exchange.bytesSent();
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Worker %d lost the averaging connection (%s)", worker, ticket), e);
    } finally {
      network.setListeners(List.of());
    }
    long elapsed = System.nanoTime() - started;
    if (input.hasTraining()) {
      throw new IllegalStateException(
          String.format("Worker %d has minibatches left after %d rounds: the partition changed", worker, rounds));
    }
    // Every worker holds the epoch's final parameters now: its share of the validation data, scored here.
    long validating = System.nanoTime();
    if (validation != null) {
      validation.score(network, input.validation());
    }
    double validationSeconds = (System.nanoTime() - validating) / 1e9;
    return JavaConverters.asScalaIterator(
        List.of(
                new WorkerEpoch(
                    worker, fittedMinibatches, fittedExamples, loss, fitNanos / 1e9, (elapsed - fitNanos) / 1e9, validationSeconds, bytes))
            .iterator());
  }

  /** What a worker sent in a round, and its parameters and updater state at that moment (for a later rebase). */
  private record Sent(Contribution contribution, float[] parameters, float[] updaterState) {}

  /** The round's contribution, with what the exchange asks for; the state it was made from is kept for overlap. */
  private Sent contribution(WorkerExchange exchange, Network network, int minibatches, long examples, boolean last) {
    boolean fitted = examples > 0;
    float[] parameters = overlap || exchange.wantsParameters(fitted) ? BulkFloats.of(network.params()) : new float[0];
    INDArray updater = network.updaterState();
    boolean sendUpdater = updater != null && exchange.wantsUpdaterState(fitted, last);
    float[] updaterValues = updater != null && (sendUpdater || overlap) ? BulkFloats.of(updater) : new float[0];
    Contribution contribution =
        new Contribution(
            minibatches,
            examples,
            exchange.wantsParameters(fitted) ? parameters : new float[0],
            sendUpdater ? updaterValues : new float[0]);
    return new Sent(contribution, parameters, updaterValues);
  }

  /**
   * Folds a round's average in one round late: {@code average + (now - sent)} for the parameters, and
   * for the updater state when it was averaged; the counts are the average's plus what this worker has
   * fitted since.
   */
  private static void rebase(Received averaged, Sent sent, Network network, boolean resetUpdater, int fittedSince) {
    if (averaged.parameters().length > 0) {
      float[] now = BulkFloats.of(network.params());
      float[] rebased = averaged.parameters().clone();
      for (int i = 0; i < rebased.length; i++) {
        rebased[i] += now[i] - sent.parameters()[i];
      }
      network.setParams(BulkFloats.vector(rebased));
      INDArray updater = network.updaterState();
      if (updater != null && averaged.updaterState().length > 0) {
        float[] current = BulkFloats.of(updater);
        float[] state = averaged.updaterState().clone();
        for (int i = 0; i < state.length; i++) {
          state[i] += current[i] - sent.updaterState()[i];
        }
        updater.assign(BulkFloats.vector(state).reshape(updater.shape()));
      } else if (updater != null && resetUpdater) {
        updater.assign(0);
      }
    }
    network.setCounts(averaged.iteration() + fittedSince, averaged.epoch());
  }

  private static Received await(CompletableFuture<Received> pending) throws IOException {
    try {
      return pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  /** Where the other workers reach this one: its executor's host, as Spark knows it. */
  private static String host(BarrierTaskContext task, int worker) {
    String address = task.getTaskInfos()[worker].address();
    int colon = address.lastIndexOf(':');
    return colon > 0 ? address.substring(0, colon) : address;
  }

  /**
   * Takes what a state message carries: parameters and updater state when sent (empty: keep the
   * network's own), and the counts. {@code resetUpdater}: zero the updater state when parameters
   * were averaged ({@code updater-state = reset}).
   */
  private static void take(Received state, Network network, boolean resetUpdater) {
    INDArray updater = network.updaterState();
    if (resetUpdater && updater != null && state.parameters().length > 0) {
      updater.assign(0);
    }
    setValues(network, state.parameters(), state.updaterState());
    network.setCounts(state.iteration(), state.epoch());
  }

  /** Sets the network's parameters and updater state to those given; an empty array leaves that part as it is. */
  static void setValues(Network network, float[] parameters, float[] updaterState) {
    if (parameters.length > 0) {
      network.setParams(BulkFloats.vector(parameters));
    }
    INDArray updater = network.updaterState();
    if (updater != null && updaterState.length > 0) {
      updater.assign(BulkFloats.vector(updaterState).reshape(updater.shape()));
    }
  }
}

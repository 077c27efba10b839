package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.data.BulkFloats;
import io.sparkfit.data.PackedMinibatch;
import io.sparkfit.executor.ExecutorNetworks;
import io.sparkfit.executor.TaskThreads;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import io.sparkfit.model.Network;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker's epoch, as one task of a barrier stage: stream the partition's packed minibatches in
 * order, freeing each once fitted, and after every round of them (the averaging frequency; a lone
 * worker's whole epoch) exchange parameters, and the updater state as {@code training.updater-state}
 * says, with the driver's {@link AveragingCoordinator}. Every worker takes part in every round (with
 * nothing to add once its partition is used up), so over the epoch every minibatch is fitted exactly
 * once. The network stays in the executor between epochs, with the version of the state it holds.
 */
final class FitEpoch
    extends AbstractFunction1<scala.collection.Iterator<PackedMinibatch>, scala.collection.Iterator<WorkerEpoch>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final String run;
  private final Broadcast<String> configuration;
  private final WorkerAddress coordinator;
  private final int epoch;
  private final long seed;
  private final int rounds;
  private final int minibatchesPerRound;
  private final int threadsPerTask;
  private final TrainingConfig.UpdaterState updaterState;
  private final List<TrainingListener> listeners;

  FitEpoch(
      String run,
      Broadcast<String> configuration,
      WorkerAddress coordinator,
      int epoch,
      long seed,
      int rounds,
      int minibatchesPerRound,
      int threadsPerTask,
      TrainingConfig.UpdaterState updaterState,
      List<TrainingListener> listeners) {
    this.run = run;
    this.configuration = configuration;
    this.coordinator = coordinator;
    this.epoch = epoch;
    this.seed = seed;
    this.rounds = rounds;
    this.minibatchesPerRound = minibatchesPerRound;
    this.threadsPerTask = threadsPerTask;
    this.updaterState = updaterState;
    this.listeners = new ArrayList<>(listeners);
  }

  @Override
  public scala.collection.Iterator<WorkerEpoch> apply(scala.collection.Iterator<PackedMinibatch> partition) {
    BarrierTaskContext task = BarrierTaskContext.get();
    int worker = task.partitionId();
    TaskThreads.prepare(threadsPerTask);
    ExecutorNetworks.Kept kept = ExecutorNetworks.kept(run + ":" + worker, configuration.value());
    Network network = kept.network();
    // Dropout draws from this thread's generator: seeded per run, epoch and worker, an epoch's
    // randomness is the same when a stage is retried or a run is resumed from a checkpoint.
    Nd4j.getRandom().setSeed(seed + 1_000_003L * epoch + worker);
    Iterator<PackedMinibatch> minibatches = JavaConverters.asJavaIterator(partition);
    int fittedMinibatches = 0;
    long fittedExamples = 0;
    double lossSum = 0;
    long fitNanos = 0;
    long started = System.nanoTime();
    long elapsed;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(coordinator.host(), coordinator.port()), CONNECT_TIMEOUT_MS);
      ExchangeStreams streams = ExchangeStreams.cancellable(socket, task::isInterrupted);
      streams.writeJoin(coordinator.token(), epoch, task.stageAttemptNumber(), worker, kept.stateVersion());
      // From here the network changes: it holds no published state until the driver says which.
      kept.holds(ExecutorNetworks.Kept.NONE);
      apply(streams.readState(), network, false);
      network.setListeners(listeners);
      for (int round = 0; round < rounds; round++) {
        int minibatchesThisRound = 0;
        long examplesThisRound = 0;
        long fitStart = System.nanoTime();
        while (minibatchesThisRound < minibatchesPerRound && minibatches.hasNext()) {
          MultiDataSet batch = minibatches.next().unpack();
          // DL4J's score after fit is the minibatch's mean loss in the forward pass, plus regularisation.
          double regularisation = network.regularizationScore();
          network.fit(batch);
          int n = (int) batch.getFeatures(0).size(0);
          lossSum += (network.score() - regularisation) * n;
          // The network keeps no reference to a fitted minibatch: its memory goes back now.
          network.clearInputs();
          PackedMinibatch.release(batch);
          examplesThisRound += n;
          minibatchesThisRound++;
        }
        fitNanos += System.nanoTime() - fitStart;
        boolean last = round == rounds - 1;
        boolean fitted = examplesThisRound > 0;
        INDArray updater = network.updaterState();
        // Under local, the driver keeps every worker's own state from the last round, fitted or not: a
        // retried epoch gives each worker its own back.
        boolean sendUpdater =
            updater != null
                && (updaterState == TrainingConfig.UpdaterState.AVERAGE && fitted || updaterState == TrainingConfig.UpdaterState.LOCAL && last);
        streams.writeContribution(
            new AveragingCoordinator.Contribution(
                minibatchesThisRound,
                examplesThisRound,
                fitted ? BulkFloats.of(network.params()) : new float[0],
                sendUpdater ? BulkFloats.of(updater) : new float[0]));
        ExchangeStreams.State averaged = streams.readState();
        apply(averaged, network, updaterState == TrainingConfig.UpdaterState.RESET);
        if (last) {
          kept.holds(averaged.version());
        }
        fittedMinibatches += minibatchesThisRound;
        fittedExamples += examplesThisRound;
      }
      elapsed = System.nanoTime() - started;
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Worker %d lost the averaging connection to the driver at %s", worker, coordinator), e);
    } finally {
      network.setListeners(List.of());
    }
    if (minibatches.hasNext()) {
      throw new IllegalStateException(
          String.format("Worker %d has minibatches left after %d rounds: the partition changed", worker, rounds));
    }
    return JavaConverters.asScalaIterator(
        List.of(
                new WorkerEpoch(
                    worker, fittedMinibatches, fittedExamples, lossSum, fitNanos / 1e9, (elapsed - fitNanos) / 1e9))
            .iterator());
  }

  /**
   * Takes what a state message carries: parameters and updater state when sent (empty: keep the
   * network's own), and the counts. {@code resetUpdater}: zero the updater state when parameters
   * were averaged ({@code updater-state = reset}).
   */
  private static void apply(ExchangeStreams.State state, Network network, boolean resetUpdater) {
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

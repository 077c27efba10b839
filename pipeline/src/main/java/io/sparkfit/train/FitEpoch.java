package io.sparkfit.train;

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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker's epoch, as one task of a barrier stage: stream the partition's minibatches in order,
 * and after every {@code averaging-frequency} of them exchange parameters and updater state with the
 * driver's {@link AveragingCoordinator}. Every worker takes part in every round (with nothing to add
 * once its partition is used up), so over the epoch every minibatch is fitted exactly once.
 */
final class FitEpoch
    extends AbstractFunction1<scala.collection.Iterator<MultiDataSet>, scala.collection.Iterator<WorkerEpoch>>
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
      List<TrainingListener> listeners) {
    this.run = run;
    this.configuration = configuration;
    this.coordinator = coordinator;
    this.epoch = epoch;
    this.seed = seed;
    this.rounds = rounds;
    this.minibatchesPerRound = minibatchesPerRound;
    this.threadsPerTask = threadsPerTask;
    this.listeners = new ArrayList<>(listeners);
  }

  @Override
  public scala.collection.Iterator<WorkerEpoch> apply(scala.collection.Iterator<MultiDataSet> partition) {
    BarrierTaskContext task = BarrierTaskContext.get();
    int worker = task.partitionId();
    TaskThreads.prepare(threadsPerTask);
    Network network = ExecutorNetworks.get(run + ":" + worker, configuration.value());
    // Dropout draws from this thread's generator: seeded per run, epoch and worker, an epoch's
    // randomness is the same when a stage is retried or a run is resumed from a checkpoint.
    Nd4j.getRandom().setSeed(seed + 1_000_003L * epoch + worker);
    Iterator<MultiDataSet> minibatches = JavaConverters.asJavaIterator(partition);
    int fittedMinibatches = 0;
    long fittedExamples = 0;
    double lossSum = 0;
    long fitNanos = 0;
    long started = System.nanoTime();
    long elapsed;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(coordinator.host(), coordinator.port()), CONNECT_TIMEOUT_MS);
      ExchangeStreams streams = ExchangeStreams.cancellable(socket, task::isInterrupted);
      streams.out.writeInt(ExchangeStreams.MAGIC);
      streams.out.writeUTF(coordinator.token());
      streams.out.writeInt(epoch);
      streams.out.writeInt(task.stageAttemptNumber());
      streams.out.writeInt(worker);
      streams.out.flush();
      apply(streams.readState(), network);
      network.setListeners(listeners);
      for (int round = 0; round < rounds; round++) {
        int minibatchesThisRound = 0;
        long examplesThisRound = 0;
        long fitStart = System.nanoTime();
        while (minibatchesThisRound < minibatchesPerRound && minibatches.hasNext()) {
          MultiDataSet batch = minibatches.next();
          // DL4J's score after fit is the minibatch's mean loss in the forward pass, plus regularisation.
          double regularisation = network.regularizationScore();
          network.fit(batch);
          int n = (int) batch.getFeatures(0).size(0);
          lossSum += (network.score() - regularisation) * n;
          examplesThisRound += n;
          minibatchesThisRound++;
        }
        fitNanos += System.nanoTime() - fitStart;
        streams.out.writeInt(ExchangeStreams.MAGIC);
        streams.out.writeInt(minibatchesThisRound);
        streams.out.writeLong(examplesThisRound);
        if (examplesThisRound > 0) {
          streams.writeFloats(floats(network.params()));
          INDArray updater = network.updaterState();
          streams.writeFloats(updater == null ? new float[0] : floats(updater));
        }
        streams.out.flush();
        if (round < rounds - 1) {
          apply(streams.readState(), network);
        } else {
          streams.expectMagic();
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

  private static void apply(RoundStart state, Network network) {
    network.setParams(Nd4j.createFromArray(state.parameters()));
    INDArray updater = network.updaterState();
    if (updater != null && state.updaterState().length > 0) {
      updater.assign(Nd4j.createFromArray(state.updaterState()).reshape(updater.shape()));
    }
    network.setCounts(state.iteration(), state.epoch());
  }

  /** One bulk copy of the values (ND4J's element-wise toFloatVector is slow on large arrays). */
  static float[] floats(INDArray array) {
    return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }
}

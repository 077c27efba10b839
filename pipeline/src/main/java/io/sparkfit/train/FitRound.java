package io.sparkfit.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One averaging round on one worker (one partition): start from the averaged parameters and updater
 * state, fit this round's slice of the partition's minibatches, in order, and report the result.
 * Over the rounds of an epoch the slices cover every minibatch of the partition exactly once.
 */
final class FitRound implements Function2<Integer, Iterator<DataSet>, Iterator<RoundResult>> {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final Broadcast<String> configuration;
  private final Broadcast<RoundStart> state;
  private final int round;
  private final int minibatchesPerRound;
  private final int threadsPerTask;
  private final List<TrainingListener> listeners;

  FitRound(
      String run,
      Broadcast<String> configuration,
      Broadcast<RoundStart> state,
      int round,
      int minibatchesPerRound,
      int threadsPerTask,
      List<TrainingListener> listeners) {
    this.run = run;
    this.configuration = configuration;
    this.state = state;
    this.round = round;
    this.minibatchesPerRound = minibatchesPerRound;
    this.threadsPerTask = threadsPerTask;
    this.listeners = new ArrayList<>(listeners);
  }

  @Override
  public Iterator<RoundResult> call(Integer worker, Iterator<DataSet> minibatches) {
    int first = round * minibatchesPerRound;
    List<DataSet> slice = new ArrayList<>(minibatchesPerRound);
    for (int i = 0; minibatches.hasNext() && i < first + minibatchesPerRound; i++) {
      DataSet batch = minibatches.next();
      if (i >= first) {
        slice.add(batch);
      }
    }
    if (slice.isEmpty()) {
      return Collections.emptyIterator();
    }
    Nd4jThreads.forCurrentTask(threadsPerTask);
    MultiLayerNetwork network = ExecutorNetworks.get(run + ":" + worker, configuration.value());
    RoundStart start = state.value();
    network.setParams(Nd4j.createFromArray(start.parameters()));
    INDArray updater = network.getUpdater().getStateViewArray();
    if (updater != null && start.updaterState().length > 0) {
      updater.assign(Nd4j.createFromArray(start.updaterState()).reshape(updater.shape()));
    }
    network.getLayerWiseConfigurations().setIterationCount(start.iteration());
    network.getLayerWiseConfigurations().setEpochCount(start.epoch());
    network.setListeners(listeners);
    long examples = 0;
    double lossSum = 0;
    for (DataSet batch : slice) {
      // DL4J's score after fit is the minibatch's mean loss in the forward pass, plus regularisation.
      double regularisation = network.calcRegularizationScore(true);
      network.fit(batch);
      int n = batch.numExamples();
      lossSum += (network.score() - regularisation) * n;
      examples += n;
    }
    network.setListeners(List.of());
    INDArray updaterAfter = network.getUpdater().getStateViewArray();
    return List.of(
            new RoundResult(
                worker,
                floats(network.params()),
                updaterAfter == null ? new float[0] : floats(updaterAfter),
                slice.size(),
                examples,
                lossSum))
        .iterator();
  }

  /** One bulk copy of the values (ND4J's element-wise toFloatVector is slow on large arrays). */
  static float[] floats(INDArray array) {
    return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }
}

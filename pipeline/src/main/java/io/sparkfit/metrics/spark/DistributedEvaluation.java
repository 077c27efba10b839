package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.nd4j.NetworkOutputs;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.Slicing;
import io.sparkfit.executor.ExecutorNetworks;
import io.sparkfit.executor.TaskThreads;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import io.sparkfit.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Evaluates a network over minibatches on the executors: the network is broadcast once (its JSON
 * configuration and parameters), each partition turns its minibatches into metric states, and only
 * those small states come back to the driver, through a {@link MetricsAccumulator}.
 */
public final class DistributedEvaluation {
  private final JavaSparkContext sc;
  private final Evaluator evaluator;
  private final Slicing slicing;
  private final MetricsAccumulator accumulator;
  private final int threadsPerTask;
  /** The network's configuration, broadcast once: an evaluation serves one network's epochs. */
  private Broadcast<String> configuration;

  /**
   * Registers an accumulator named {@code sparkfit.<name>} for this evaluation's results.
   *
   * @param threadsPerTask ND4J threads in each task; 0 for {@code spark.task.cpus}
   */
  public DistributedEvaluation(JavaSparkContext sc, Evaluator evaluator, String name, int threadsPerTask) {
    this(sc, evaluator, Slicing.none(), name, threadsPerTask);
  }

  /**
   * As {@link #DistributedEvaluation(JavaSparkContext, Evaluator, String, int)}, with the states also kept
   * per slice as {@code slicing} asks: in the same pass, the same tasks and the same accumulator. The
   * minibatches then carry each example's slice indices as their example metadata.
   */
  public DistributedEvaluation(JavaSparkContext sc, Evaluator evaluator, Slicing slicing, String name, int threadsPerTask) {
    this.sc = sc;
    this.evaluator = evaluator;
    this.slicing = slicing;
    this.threadsPerTask = threadsPerTask;
    this.accumulator = new MetricsAccumulator();
    sc.sc().register(accumulator, "sparkfit." + name);
  }

  public MetricSet evaluate(Network network, JavaRDD<MultiDataSet> minibatches) {
    accumulator.reset();
    if (configuration == null) {
      // The layers stay the same for the whole run; only the parameters change between epochs.
      configuration = sc.broadcast(network.configurationJson());
    }
    Broadcast<INDArray> parameters = sc.broadcast(network.params().dup());
    try {
      minibatches.foreachPartition(new EvaluatePartition(configuration, parameters, evaluator, slicing, accumulator, threadsPerTask));
    } finally {
      parameters.destroy();
    }
    return accumulator.value();
  }

  private record EvaluatePartition(
      Broadcast<String> configuration,
      Broadcast<INDArray> parameters,
      Evaluator evaluator,
      Slicing slicing,
      MetricsAccumulator accumulator,
      int threadsPerTask)
      implements org.apache.spark.api.java.function.VoidFunction<Iterator<MultiDataSet>> {

    @Override
    public void call(Iterator<MultiDataSet> batches) {
      if (!batches.hasNext()) {
        return;
      }
      TaskThreads.prepare(threadsPerTask);
      // Rebuilding the network from JSON every epoch cost more than scoring a partition.
      Network network =
          ExecutorNetworks.get("evaluation:" + configuration.id() + ":" + TaskContext.get().partitionId(), configuration.value());
      network.setParams(parameters.value());
      accumulator.add(score(evaluator, slicing, network, batches));
    }
  }

  /** The metric states of {@code network}'s outputs over {@code batches}, merged in order. */
  static MetricSet score(Evaluator evaluator, Network network, Iterator<MultiDataSet> batches) {
    return score(evaluator, Slicing.none(), network, batches);
  }

  /** As {@link #score(Evaluator, Network, Iterator)}, sliced as {@code slicing} asks. */
  static MetricSet score(Evaluator evaluator, Slicing slicing, Network network, Iterator<MultiDataSet> batches) {
    MetricSet state = MetricSet.empty();
    while (batches.hasNext()) {
      MultiDataSet batch = batches.next();
      state =
          state.merge(
              NetworkOutputs.evaluate(
                  slicing,
                  evaluator,
                  network.output(batch.getFeatures(), batch.getFeaturesMaskArrays()),
                  batch.getLabels(0),
                  batch.getLabelsMaskArrays() == null ? null : batch.getLabelsMaskArray(0),
                  batch.getExampleMetaData()));
    }
    return state;
  }
}

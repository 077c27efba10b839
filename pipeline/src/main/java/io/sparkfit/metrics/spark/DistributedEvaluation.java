package io.sparkfit.metrics.spark;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates a network over minibatches on the executors: the network is broadcast once (its JSON
 * configuration and parameters), each partition turns its minibatches into metric states, and only
 * those small states come back to the driver, through a {@link MetricsAccumulator}.
 */
public final class DistributedEvaluation {
  private final JavaSparkContext sc;
  private final Evaluator evaluator;
  private final MetricsAccumulator accumulator;

  /** Registers an accumulator named {@code sparkfit.<name>} for this evaluation's results. */
  public DistributedEvaluation(JavaSparkContext sc, Evaluator evaluator, String name) {
    this.sc = sc;
    this.evaluator = evaluator;
    this.accumulator = new MetricsAccumulator();
    sc.sc().register(accumulator, "sparkfit." + name);
  }

  public MetricSet evaluate(MultiLayerNetwork network, JavaRDD<DataSet> minibatches) {
    accumulator.reset();
    Broadcast<String> configuration = sc.broadcast(network.getLayerWiseConfigurations().toJson());
    Broadcast<INDArray> parameters = sc.broadcast(network.params().dup());
    try {
      minibatches.foreachPartition(new EvaluatePartition(configuration, parameters, evaluator, accumulator));
    } finally {
      configuration.destroy();
      parameters.destroy();
    }
    return accumulator.value();
  }

  private record EvaluatePartition(
      Broadcast<String> configuration, Broadcast<INDArray> parameters, Evaluator evaluator, MetricsAccumulator accumulator)
      implements org.apache.spark.api.java.function.VoidFunction<Iterator<DataSet>> {

    @Override
    public void call(Iterator<DataSet> batches) {
      if (!batches.hasNext()) {
        return;
      }
      MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration.value()));
      network.init(parameters.value(), true);
      MetricSet state = MetricSet.empty();
      while (batches.hasNext()) {
        DataSet batch = batches.next();
        state = state.merge(evaluator.evaluate(network.output(batch.getFeatures(), false), batch.getLabels()));
      }
      accumulator.add(state);
    }
  }
}

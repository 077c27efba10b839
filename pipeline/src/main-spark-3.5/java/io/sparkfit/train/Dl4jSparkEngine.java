package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** The spark-3.5 build's {@link Dl4jEngine}: DL4J's Spark module, registered in META-INF/services. */
public final class Dl4jSparkEngine implements Dl4jEngine {
  @Override
  public Trainer create(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<MultiDataSet> minibatches, TrainingConfig config, long seed) {
    return new Dl4jParameterAveragingTrainer(sc, network, minibatches, config, seed);
  }
}
